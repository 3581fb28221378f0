using Clickwise.Training.Optimizers;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

/// <summary>
/// A planted pure pair interaction (label = parity of field a's id XOR parity of field b's id, field c is noise):
/// no first-order model can beat chance on it, every model with a second-order or deep part must learn it.
/// </summary>
public sealed class ModelLearningTests(ITestOutputHelper output)
{
    private const int BatchSize = 64;
    private static readonly FeatureLayout Layout = new(["a", "b", "c"], [4, 4, 6]);

    [Theory]
    [InlineData("lr", false)]
    [InlineData("fm", true)]
    [InlineData("fwfm", true)]
    [InlineData("deepfm", true)]
    [InlineData("deepfwfm", true)]
    [InlineData("nfm", true)]
    [InlineData("dnn", true)]
    [InlineData("wdl", true)]
    [InlineData("dcn", true)]
    [InlineData("dcnv2", true)]
    [InlineData("gdcn", true)]
    [InlineData("ipnn", true)]
    [InlineData("opnn", true)]
    [InlineData("pnn", true)]
    [InlineData("deepfm-ip", true)]
    [InlineData("deepfm-op", true)]
    [InlineData("deepfm-p", true)]
    [InlineData("xdeepfm", true)]
    [InlineData("fibinet", true)]
    [InlineData("ffm", true)]
    [InlineData("fnn", true)]
    [InlineData("wdl-fm", true)]
    [InlineData("autoint", true)]
    [InlineData("autoint+", true)]
    [InlineData("finalmlp", true)]
    public void SecondOrderModelsLearnAPlantedPairInteraction(string name, bool canLearn)
    {
        var config = new ModelConfig { Name = name, EmbeddingDim = 4, HiddenUnits = [16], Dropout = 0f, InitStd = 0.1f, Seed = 3 };
        CtrModel model = ModelRegistry.Create(config, Layout).Prepared(BatchSize);
        var optimizer = OptimizerFactory.Create("adam", new OptimizerSettings { LearningRate = 0.05 });
        var random = new SeededRandom(9);
        var batch = new Batch(BatchSize, 3) { Count = BatchSize };
        var logits = new float[BatchSize];
        var dLogits = new float[BatchSize];
        double loss = 0;
        for (int step = 0; step < 300; step++)
        {
            Fill(batch, random);
            model.Parameters.ZeroGrad();
            model.Forward(batch, logits, training: true);
            loss = BinaryLogLoss.Forward(logits, batch.LabelsInUse, BatchSize, dLogits);
            model.Backward(batch, dLogits);
            optimizer.Step(model.Parameters);
        }

        Fill(batch, random);
        model.Forward(batch, logits, training: false);
        double held = BinaryLogLoss.Forward(logits, batch.LabelsInUse, BatchSize, dLogits);
        output.WriteLine($"{name}: last train loss {loss:F4}, fresh batch loss {held:F4}");
        if (canLearn)
        {
            Assert.True(held < 0.2, $"{name} should learn the pair interaction, loss {held:F4}");
        }
        else
        {
            Assert.True(held > 0.6, $"{name} cannot represent XOR, yet loss {held:F4}");
        }
    }

    private static void Fill(Batch batch, SeededRandom random)
    {
        for (int b = 0; b < BatchSize; b++)
        {
            int a = (int)(random.NextUInt64() % 4), c = (int)(random.NextUInt64() % 4), noise = (int)(random.NextUInt64() % 6);
            batch.Ids[b * 3] = Layout.Offsets[0] + a;
            batch.Ids[b * 3 + 1] = Layout.Offsets[1] + c;
            batch.Ids[b * 3 + 2] = Layout.Offsets[2] + noise;
            batch.Labels[b] = (a ^ c) & 1;
        }
    }
}
