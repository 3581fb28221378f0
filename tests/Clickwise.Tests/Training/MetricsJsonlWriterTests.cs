using Clickwise.Tests.DataCache;
using Clickwise.Training;

namespace Clickwise.Tests.Training;

public sealed class MetricsJsonlWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static string Line(int epoch) =>
        $$"""{"epoch":{{epoch}},"train_loss":0.5,"valid_auc":null,"valid_logloss":null,"samples_per_sec":10,"seconds":1}""";

    [Fact]
    public void KeepingEpochsThroughTheCheckpointDropsLaterAndCutOffLines()
    {
        string path = _directory.File("metrics.jsonl");
        // Epoch 3 was logged but its checkpoint never committed; epoch 4's line was cut off by the kill.
        File.WriteAllText(path, $"{Line(1)}\n{Line(2)}\n{Line(3)}\n{{\"epoch\":4,\"tr");

        using (var writer = new MetricsJsonlWriter(path))
        {
            writer.KeepEpochsThrough(2);
            writer.OnEpoch(new EpochResult(3, 0.25, double.NaN, double.NaN, 20, 2));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal([Line(1), Line(2)], lines[..2]);
        Assert.Equal(
            """{"epoch":3,"train_loss":0.25,"valid_auc":null,"valid_logloss":null,"samples_per_sec":20,"seconds":2}""", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void KeepingEpochsThroughZeroEmptiesTheFile()
    {
        string path = _directory.File("metrics.jsonl");
        File.WriteAllText(path, $"{Line(1)}\n");

        using (var writer = new MetricsJsonlWriter(path))
        {
            writer.KeepEpochsThrough(0);
        }

        Assert.Equal(0, new FileInfo(path).Length);
    }
}
