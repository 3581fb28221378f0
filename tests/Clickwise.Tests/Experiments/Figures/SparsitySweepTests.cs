using Clickwise.Compression.Pruning;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Experiments.Figures;

public sealed class SparsitySweepTests
{
    private static PruningStudyRow Row(string sparsity, double auc, double p50, int seed = 1) =>
        new(sparsity == "None" ? "Dense" : sparsity, sparsity, [400, 400, 400], seed, auc, auc, 0.45, 1000, 500, 100, 4000, 3000,
            1.0, p50, 2 * p50, 1e5, 1.0, $"{sparsity}-{seed}.cwm");

    [Fact]
    public void ADnnSweepStartsAtTheDenseModelAndAveragesSeeds()
    {
        SparsitySweep sweep = SparsitySweep.Of(
        [
            Row("None", 0.80, 20), Row("D-99%", 0.78, 2), Row("D-90%", 0.79, 8, seed: 1), Row("D-90%", 0.81, 6, seed: 2),
        ])!;
        Assert.Equal(PruningComponent.Dnn, sweep.Component);
        Assert.Equal("None", sweep.Held);
        Assert.Equal(["Dense", "D-90%", "D-99%"], sweep.Points.Select(p => p.Label));
        Assert.Equal(0.80, sweep.Points[1].TestAuc, 12);
        Assert.Equal(7.0, sweep.Points[1].P50Micros, 12);
    }

    [Fact]
    public void AFieldMatrixSweepAtHeldTargetsLeavesTheDenseModelOff()
    {
        SparsitySweep sweep = SparsitySweep.Of(
        [
            Row("None", 0.80, 20), Row("D-99% & F-40%", 0.79, 3), Row("D-99% & R-95% & F-40%", 0.79, 1.5), Row("D-99% & R-80% & F-40%", 0.79, 2),
        ])!;
        Assert.Equal(PruningComponent.FieldMatrix, sweep.Component);
        Assert.Equal("D-99% & F-40%", sweep.Held);
        Assert.Equal(["R-0%", "R-80%", "R-95%"], sweep.Points.Select(p => p.Label));
    }

    [Fact]
    public void SettingsThatVaryInSeveralComponentsOrOneValueAreNoSweep()
    {
        Assert.Null(SparsitySweep.Of([Row("None", 0.80, 20), Row("D-90% & R-90% & F-40%", 0.8, 5), Row("D-99% & R-95% & F-40%", 0.8, 2)]));
        Assert.Null(SparsitySweep.Of([Row("None", 0.80, 20), Row("D-98% & F-40%", 0.8, 5)]));
    }

    [Fact]
    public void ASweepStudyDrawsAucAndLatencyAgainstTheSweptSparsity()
    {
        using var dir = new TempDirectory();
        var report = new PruningStudyReport(1000, [Row("None", 0.800, 20), Row("D-80%", 0.802, 9), Row("D-95%", 0.801, 4), Row("D-99%", 0.797, 1.8)], [], [], []);
        IReadOnlyList<string> written = StudyFigures.Write(report, dir.Path);
        Assert.Equal(["deeplight-auc-latency", "deeplight-auc-bytes", "deeplight-sweep"], written.Select(Path.GetFileNameWithoutExtension));
        Pixels.AssertNotBlank(dir.File("deeplight-sweep.png"));
        string svg = File.ReadAllText(dir.File("deeplight-sweep.svg"));
        foreach (string text in (string[])["vs D sparsity", "D-95%", "Dense", "batch-1 p50 µs"])
        {
            Assert.Contains(text, svg);
        }

        var paper = new PruningStudyReport(1000, [Row("None", 0.800, 20), Row("D-90% & R-90% & F-40%", 0.802, 9), Row("D-99% & R-95% & F-40%", 0.801, 2)], [], [], []);
        Assert.DoesNotContain(StudyFigures.Write(paper, dir.File("paper")), p => p.EndsWith("deeplight-sweep.png", StringComparison.Ordinal));
    }
}
