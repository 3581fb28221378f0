using System.Text.RegularExpressions;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Experiments.Figures;

namespace Clickwise.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed partial class ReportTests
{
    [GeneratedRegex("<img [^>]*src=\"([^\"]*)\"")]
    private static partial Regex ImageSource();

    [Fact]
    public void OnePageWithEveryTableAndEveryFigureInlined()
    {
        using var dir = new TempDirectory();
        ReportFixture fixture = ReportFixture.Build(dir);
        string page = File.ReadAllText(fixture.Page);

        Assert.Contains("<title>Fixture report</title>", page);
        Assert.Contains("<h1>Model comparison: fixture</h1>", page);
        Assert.Contains("<td>deepfm</td>", page);
        Assert.Contains("<h2>Training run m.cwm.run</h2>", page);
        // Self-contained: every image is inlined PNG data, and nothing else is loaded.
        string[] sources = [.. ImageSource().Matches(page).Select(m => m.Groups[1].Value)];
        Assert.Equal(ReportFixture.Figures, sources.Length);
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s));
        foreach (string source in sources)
        {
            string png = dir.File("inlined.png");
            File.WriteAllBytes(png, Convert.FromBase64String(source["data:image/png;base64,".Length..]));
            Pixels.AssertNotBlank(png);
        }

        Assert.DoesNotContain("http:", page);
        Assert.DoesNotContain("https:", page);
        Assert.DoesNotContain("<link", page);
        Assert.DoesNotContain("<script", page);
    }

    [Fact]
    public void AMissingDirectoryIsAMissingInputAndAnEmptyOneHasNothingToReport()
    {
        using var dir = new TempDirectory();
        CliResult missing = CliRunner.Expect(66, "report", dir.File("nope"), "-o", dir.File("r.html"));
        Assert.Contains("no such run or study directory", missing.Error);
        Directory.CreateDirectory(dir.File("empty"));
        CliResult empty = CliRunner.Expect(65, "report", dir.File("empty"), "-o", dir.File("r.html"));
        Assert.Contains("no study tables", empty.Error);
        Assert.False(File.Exists(dir.File("r.html")));
    }
}
