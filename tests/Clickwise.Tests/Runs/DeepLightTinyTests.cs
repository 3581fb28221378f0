using Clickwise.Data;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;
using Clickwise.Training;

namespace Clickwise.Tests.Runs;

/// <summary>
/// Every registered model on DeepLight's tiny Criteo sample (10k train, 10k test, index-encoded): train on the train file
/// (90/10 train/valid, early stopping), score the separate test file with the saved model.
/// </summary>
/// <remarks>
/// Setting: embedding 8, DNN 64×64 (dropout 0.5) for the deep and cross models, Adam 1e-3, batch 256, up to 5 epochs,
/// min count 2, seed 1. Measured test AUCs on the 2-core machine: LR 0.7255, FM 0.7355, FwFM 0.7375,
/// DeepFM 0.7373, DeepFwFM 0.7355 (~4 s for those five); NFM 0.7350, DNN 0.7338, Wide &amp; Deep 0.7343; the cross
/// models (3 cross layers beside the DNN) DCN 0.7352, DCNv2 0.7363, GDCN 0.7356 (3-6 s each); xDeepFM (100×100×50
/// split-half CIN beside the DNN) 0.7338 (150 s on the loaded machine: the CIN is ~9 MFLOP per sample); FiBiNet (field_interaction)
/// 0.7334; FFM 0.7412 (14 s: its table is F times an FM's), FNN 0.7375 (with its one-epoch FM pre-training),
/// Wide &amp; Deep (FM &amp; DNN) 0.7388; AutoInt 0.7311 and AutoInt+ 0.7319 (3 interacting layers, 2 heads of 32;
/// 2-3 min each on the shared machine, the attention's training layer being single-threaded); FinalMLP 0.7318 (the first
/// stream 64×64, the second [800], gates [800], one fusion head; 1 s).
/// </remarks>
[Trait("Category", SharedData.Category)]
public sealed class DeepLightTinyTests(ITestOutputHelper output)
{
    private const double MinimumAuc = 0.70;

    [Fact]
    public void EveryModelReachesAUsefulTestAuc()
    {
        string train = SharedData.Path("criteo_deeplight_tiny/tiny_train_input.csv");
        string test = SharedData.Path("criteo_deeplight_tiny/tiny_test_input.csv");
        var reader = new ReaderOptions { Format = DataFormat.DeepLight };
        using var dir = new TempDirectory();
        var failures = new List<string>();
        output.WriteLine("| model | test AUC | test logloss | rows | seconds |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (string name in ModelRegistry.Names)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var request = new TrainRequest
            {
                Data = new DataSource { Path = train, Reader = reader },
                Preprocessing = DataConfig.Criteo with { MinCount = 2, Split = new(0.9, 0.1, 0), Seed = 1 },
                Model = ModelPresets.Criteo(name) with { EmbeddingDim = 8, HiddenUnits = [64, 64], Seed = 1 },
                Training = TrainingConfig.Criteo with { Epochs = 5, BatchSize = 256, Seed = 1 },
                WorkDir = dir.File(name),
                ModelPath = dir.File(name + ".cwm"),
            };
            TrainReport report = TrainRun.Execute(request, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(10_000, report.Rows);

            ModelArtifact artifact = ModelArtifact.Load(report.ModelPath);
            using IRecordReader testReader = RecordReaders.Open(test, reader);
            var (result, _, stats) = Scoring.Evaluate(artifact.Compile(), artifact.FeatureMap, testReader);
            output.WriteLine($"| {name} | {result.Auc:F4} | {result.LogLoss:F4} | {result.Rows:N0} | {clock.Elapsed.TotalSeconds:F1} |");
            Assert.Equal(10_000, result.Rows);
            Assert.Equal(0, stats.Skipped);
            if (!(result.Auc > MinimumAuc))
            {
                failures.Add($"{name}: test AUC {result.Auc:F4} <= {MinimumAuc}");
            }
        }

        Assert.Empty(failures);
    }
}
