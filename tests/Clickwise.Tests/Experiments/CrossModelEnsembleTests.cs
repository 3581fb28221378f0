using Clickwise.Compression.Pruning;
using Clickwise.Experiments;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Runs;

namespace Clickwise.Tests.Experiments;

public sealed class CrossModelEnsembleTests
{
    [Fact]
    public void MembersAreAddedByTheEnsemblesValidationAucWithinTheSummedBudget()
    {
        float[] labels = [1, 0, 1, 0];
        // A and B each order 3 of 4 pairs (AUC 0.75) and their mean all 4; C alone orders all 4 but is slow.
        float[][] probabilities = [[0.9f, 0.1f, 0.4f, 0.6f], [0.4f, 0.6f, 0.9f, 0.1f], [0.6f, 0.5f, 0.55f, 0.45f]];
        EnsembleCandidate[] candidates =
        [
            new("a", "deepfm", "D-98%", "a.cwm") { P50Micros = 2 },
            new("b", "nfm", "D-98%", "b.cwm") { P50Micros = 2 },
            new("c", "xdeepfm", "D-99%", "c.cwm") { P50Micros = 10 },
        ];

        Assert.Equal([0, 1], CrossModelEnsemble.Choose(candidates, probabilities, labels, budget: 5));
        // With room for C, it alone is best, and adding A or B lowers the validation AUC, so nothing is added.
        Assert.Equal([2], CrossModelEnsemble.Choose(candidates, probabilities, labels, budget: 100));
        Assert.Empty(CrossModelEnsemble.Choose(candidates, probabilities, labels, budget: 1));
    }

    [Fact]
    public void EnsemblesPrunedModelsOfTwoStudiesOfOneSplitAndRefusesAnotherVocabulary()
    {
        using var dir = new TempDirectory();
        string data = dir.File("clicks.tsv");
        RunData.Synthesize(data, rows: 6000, seed: 8);
        var options = new PruningStudyOptions
        {
            Settings = [new("Dense", null), new("D-90%", "D-90%")],
            SizeMatched = false,
            EmbeddingMatched = false,
            EnsembleModels = 1,
            LatencyRequests = 200,
            BatchSize = 500,
        };
        PruningStudyReport Study(string model, string path) => PruningStudy.Run(Request(path, dir.File(model), model), options,
            cancellationToken: TestContext.Current.CancellationToken);
        (string, PruningStudyReport)[] studies = [("deepfm", Study("deepfm", data)), ("nfm", Study("nfm", data))];

        IReadOnlyList<EnsembleCandidate> candidates = CrossModelEnsemble.Candidates(studies);
        Assert.Equal([("deepfm D-90% seed 1", "deepfm"), ("nfm D-90% seed 1", "nfm")], candidates.Select(c => (c.Name, c.Model)));

        CrossModelEnsembleReport report = CrossModelEnsemble.Run(Request(data, dir.File("ensemble"), "deepfm"), candidates,
            new CrossModelEnsembleOptions { BudgetsMicros = [1e-6, 1e6], LatencyRequests = 200 });

        // The tiny budget fits no model and is left out; the loose one takes a member set whose validation AUC is at
        // least the best candidate's, and its measured latency fits.
        CrossModelEnsembleRow loose = Assert.Single(report.Ensembles);
        Assert.Equal(1e6, loose.BudgetMicros);
        Assert.True(loose.ValidAuc >= report.Candidates.Max(c => c.ValidAuc));
        Assert.InRange(loose.Members.Count, 1, 2);
        Assert.True(loose.P50Micros <= loose.BudgetMicros);
        Assert.Equal(loose.Members.Sum(m => report.Candidates.Single(c => c.Name == m).P50Micros), loose.SummedMicros, 9);
        Assert.All(report.Candidates, c => Assert.InRange(c.TestAuc, 0.6, 1.0));
        string markdown = CrossModelEnsembleMarkdown.Render(report, "ensembles");
        Assert.Contains($"| 1000000.0 | {string.Join(", ", loose.Members)} |", markdown);

        // Another data file has another vocabulary: its models' ids would mean other categories.
        string other = dir.File("other.tsv");
        RunData.Synthesize(other, rows: 3000, seed: 9);
        Assert.Throws<InvalidDataException>(() => CrossModelEnsemble.Run(Request(other, dir.File("ensemble2"), "deepfm"), candidates,
            new CrossModelEnsembleOptions { LatencyRequests = 200 }));
    }

    private static TrainRequest Request(string data, string workDir, string model)
    {
        TrainRequest baseline = RunData.Request(data, workDir, model, epochs: 2);
        return baseline with
        {
            Model = baseline.Model with { EmbeddingDim = 4, HiddenUnits = [16, 16] },
            Preprocessing = baseline.Preprocessing with { MinCount = 2 },
            Training = baseline.Training with { BatchSize = 512, LearningRate = 0.005 },
            Pruning = new PruningConfig { WarmupEpochs = 1 },
        };
    }
}
