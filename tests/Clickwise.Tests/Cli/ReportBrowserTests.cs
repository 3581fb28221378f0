using System.Text.Json;
using System.Text.RegularExpressions;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Experiments.Figures;

namespace Clickwise.Tests.Cli;

/// <summary><c>clickwise report</c>'s page as a browser shows it: Debian's chromium, headless.</summary>
[Collection(CliCollection.Name)]
[Trait("Category", "Chromium")]
public sealed partial class ReportBrowserTests
{
    // Appended to a copy of the page: what the browser loaded and laid out, written into the DOM for --dump-dom to show.
    private const string Probe = """
        <script>
        window.addEventListener('load', () => {
          const images = [...document.images];
          const tables = [...document.querySelectorAll('table')];
          const probe = document.createElement('pre');
          probe.id = 'probe';
          probe.textContent = JSON.stringify({
            images: images.length,
            loaded: images.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length,
            tables: tables.length,
            shownTables: tables.filter(t => t.offsetHeight > 0 && t.rows.length > 1).length,
            headings: [...document.querySelectorAll('h1, h2')].map(h => h.textContent),
          });
          document.body.appendChild(probe);
        });
        </script>
        """;

    [GeneratedRegex("<pre id=\"probe\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeResult();

    [Fact]
    public void EveryFigureLoadsAndTheTablesAreShown()
    {
        using var dir = new TempDirectory();
        ReportFixture fixture = ReportFixture.Build(dir);
        string probed = dir.File("probed.html");
        File.WriteAllText(probed, File.ReadAllText(fixture.Page).Replace("</body>", Probe + "</body>", StringComparison.Ordinal));

        string dom = HeadlessChromium.DumpDom(probed);
        Match match = ProbeResult().Match(dom);
        Assert.True(match.Success, $"the probe did not run; the DOM was:\n{dom[..Math.Min(dom.Length, 2000)]}");
        using var result = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value));
        JsonElement r = result.RootElement;
        Assert.Equal(ReportFixture.Figures, r.GetProperty("images").GetInt32());
        Assert.Equal(ReportFixture.Figures, r.GetProperty("loaded").GetInt32());
        // The comparison's table, its Fig. 9 table (the fixture compares lr with deepfm) and the training run's epochs, all
        // laid out with rows.
        Assert.Equal(3, r.GetProperty("tables").GetInt32());
        Assert.Equal(3, r.GetProperty("shownTables").GetInt32());
        string[] headings = [.. r.GetProperty("headings").EnumerateArray().Select(h => h.GetString()!)];
        Assert.Equal(["Fixture report", "Training run m.cwm.run", "Model comparison: fixture", "Training time normalised by LR (DeepFM paper, Fig. 9)"], headings);

        // What a person sees: the page drawn, not blank.
        string shot = dir.File("shot.png");
        File.WriteAllBytes(shot, HeadlessChromium.Screenshot(fixture.Page, 1280, 2400));
        Pixels.AssertNotBlank(shot);
    }
}
