using Clickwise.Cli;
using Clickwise.Data;
using Clickwise.Data.Readers;
using Clickwise.Tests.Data;
using Clickwise.Tests.DataCache;
using Clickwise.Training;

namespace Clickwise.Tests.Cli;

/// <summary>Progress lines: rows, rows/s, percent and ETA; plain lines off a terminal; counts that reach the input's size.</summary>
public sealed class ProgressTests
{
    [Fact]
    public void ARowsLineHasRateShareAndEta()
    {
        Assert.Equal("predict: 1,500,000 rows  25.0%  50,000 rows/s  ETA 0:01:30",
            ProgressLine.Rows("predict", 1_500_000, TimeSpan.FromSeconds(30), 0.25));
        Assert.Equal("predict: 1,500,000 rows  50,000 rows/s  0:00:30 elapsed", ProgressLine.Rows("predict", 1_500_000, TimeSpan.FromSeconds(30), null));
        Assert.Equal("eval: 0 rows  – rows/s  0:00:00 elapsed", ProgressLine.Rows("eval", 0, TimeSpan.Zero, 0));
        Assert.Equal("30:00:05", ProgressLine.Clock(TimeSpan.FromHours(30) + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void ATrainingLineHasEpochStepRateAndEta()
    {
        var step = new StepProgress(2, 3, 120, 500, 620, 0.45678, 45_000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(70));
        Assert.Equal("compare: fm seed 1: epoch 2/3  step 120/500  loss 0.4568  45,000 rows/s  ETA 0:01:10",
            ProgressLine.Training("compare: fm seed 1", step));
        var steps = new TrainingSteps();
        Assert.Null(steps.Line());
        steps.Begin("deeplight: Dense");
        Assert.Equal("deeplight: Dense: starting", steps.Line());
        steps.OnStep(step);
        Assert.StartsWith("deeplight: Dense: epoch 2/3", steps.Line());
    }

    [Fact]
    public void OffATerminalProgressIsPlainLinesAndNothingBeforeTheFirstPass()
    {
        var output = new StringWriter();
        string? line = null;
        using (var progress = new StderrProgress(() => line, output, inPlace: false, TimeSpan.FromMilliseconds(5)))
        {
            Thread.Sleep(50);
            Assert.Equal("", output.ToString());
            line = "eval: 10 rows";
            SpinWait.SpinUntil(() => output.ToString().Contains('\n'), TimeSpan.FromSeconds(10));
            progress.WriteLine("training: fm");
        }

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("eval: 10 rows", lines);
        Assert.Contains("training: fm", lines);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void OnATerminalTheLineIsRedrawnInPlaceAndClearedAtTheEnd()
    {
        var output = new StringWriter();
        using (new StderrProgress(() => "eval: 10 rows", output, inPlace: true, TimeSpan.FromMilliseconds(5)))
        {
            SpinWait.SpinUntil(() => output.ToString().Length > 0, TimeSpan.FromSeconds(10));
        }

        string text = output.ToString();
        Assert.StartsWith("\reval: 10 rows", text);
        Assert.EndsWith("\r" + new string(' ', "eval: 10 rows".Length) + "\r", text);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void InputProgressCountsRowsAndBytesOfEachPass()
    {
        using var dir = new TempDirectory();
        string a = dir.File("a.tsv"), b = dir.File("b.tsv.gz");
        File.WriteAllLines(a, Enumerable.Range(0, 30).Select(i => ReaderTestKit.ValidCriteoLine(i % 2, i + 1)));
        File.WriteAllBytes(b, ReaderTestKit.Gzip(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', Enumerable.Range(0, 20).Select(i => ReaderTestKit.ValidCriteoLine(i % 2, i + 3))) + "\n")));
        var progress = new InputProgress();
        Assert.Null(progress.Fraction);
        for (int pass = 1; pass <= 2; pass++)
        {
            using IRecordReader reader = RecordReaders.Open($"{a},{b}", new ReaderOptions { Format = DataFormat.Criteo }, progress);
            Assert.Equal(pass, progress.Pass);
            Assert.Equal(new FileInfo(a).Length + new FileInfo(b).Length, progress.TotalBytes);
            Assert.Equal(30 + 20, ReaderTestKit.ReadAll(reader).Count);
            Assert.Equal(50, progress.Rows);
            Assert.Equal(1.0, progress.Fraction);
        }
    }
}
