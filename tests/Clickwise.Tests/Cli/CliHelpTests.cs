namespace Clickwise.Tests.Cli;

/// <summary>Help reads like the command a user installs: <c>clickwise</c>, with one default per option.</summary>
[Collection(CliCollection.Name)]
public sealed class CliHelpTests
{
    [Fact]
    public void UsageNamesTheCommandClickwise()
    {
        Assert.Contains("Usage:\n  clickwise [command] [options]", CliRunner.Expect(0, "--help").Out.ReplaceLineEndings("\n"));
        Assert.Contains("Usage:\n  clickwise train [options]", CliRunner.Expect(0, "train", "--help").Out.ReplaceLineEndings("\n"));
        Assert.Matches(@"^\d+\.\d+\.\d+", CliRunner.Expect(0, "--version").Out);
    }

    [Fact]
    public void ThreadsShowsOneDefault()
    {
        string line = CliRunner.Expect(0, "eval", "--help").Out.Split('\n').Single(l => l.TrimStart().StartsWith("--threads", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "default"));
        Assert.Contains($"[default: {Environment.ProcessorCount}]", line);
    }
}
