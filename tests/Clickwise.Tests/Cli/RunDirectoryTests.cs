using System.Text.Json;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>Issue 17, class 5: a train run owns its run directory (a lock), and a resumed run logs each epoch once.</summary>
[Collection(CliCollection.Name)]
public sealed class RunDirectoryTests : IDisposable
{
    private const int InUse = 75;

    private readonly TempDirectory _directory = new();

    public RunDirectoryTests() => CliRunner.Expect(0, "synth", "--rows", "2000", "--seed", "5", "-o", DataPath);

    private string DataPath => _directory.File("data.tsv");

    private string ModelPath => _directory.File("lr.cwm");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ASecondTrainOnOneOutputFailsFastWhileTheFirstHoldsTheRun()
    {
        string runDirectory = ModelPath + ".run";
        using (RunLock.Acquire(runDirectory)) // the first run, still training
        {
            CliResult second = CliRunner.Expect(InUse, "train", "-d", DataPath, "--model", "lr", "-o", ModelPath, "--epochs", "1", "--quiet");

            Assert.Contains($"{runDirectory} is in use by another run", second.Error);
            Assert.False(File.Exists(ModelPath));
            Assert.Equal([Path.Combine(runDirectory, RunLock.FileName)], Directory.GetFileSystemEntries(runDirectory));
        }

        // Released (as the kernel releases it when a run dies, even by kill -9), the lock file left behind blocks nothing.
        CliRunner.Expect(0, "train", "-d", DataPath, "--model", "lr", "-o", ModelPath, "--epochs", "1", "--quiet");
        Assert.True(File.Exists(ModelPath));
    }

    [Theory]
    [InlineData("compare", "--models", "lr")]
    [InlineData("deeplight", "--model", "deepfwfm")]
    [InlineData("lowrank", "--model", "deepfm")]
    [InlineData("optembed", "--model", "deepfm")]
    public void AStudyIntoADirectoryAnotherStudyHoldsFailsFast(string verb, string modelFlag, string model)
    {
        string study = _directory.File(verb);
        using (RunLock.Acquire(study)) // the first study, still running
        {
            CliResult second = CliRunner.Expect(InUse, verb, "-d", DataPath, modelFlag, model, "-o", study, "--epochs", "1");
            Assert.Contains($"{study} is in use by another run", second.Error);
            Assert.Equal([Path.Combine(study, RunLock.FileName)], Directory.GetFileSystemEntries(study));
        }
    }

    [Fact]
    public void AResumeAfterAKillBetweenTheMetricsLineAndTheCheckpointLogsEachEpochOnce()
    {
        string runDirectory = ModelPath + ".run";
        string metrics = Path.Combine(runDirectory, "metrics.jsonl");
        CliRunner.Expect(0, "train", "-d", DataPath, "--model", "lr", "-o", ModelPath, "--epochs", "1", "--quiet");
        // What a kill after epoch 2's metrics line and before its checkpoint leaves: the line, and epoch 1's checkpoint.
        string epochOne = File.ReadAllText(metrics);
        File.AppendAllText(metrics, epochOne.Replace("\"epoch\":1", "\"epoch\":2", StringComparison.Ordinal));

        CliRunner.Expect(0, "train", "-d", DataPath, "--model", "lr", "-o", ModelPath, "--epochs", "2", "--quiet", "--resume", runDirectory);

        string[] lines = File.ReadAllLines(metrics);
        Assert.Equal([1, 2], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("epoch").GetInt32()));
        Assert.Equal(epochOne, lines[0] + "\n");
    }
}
