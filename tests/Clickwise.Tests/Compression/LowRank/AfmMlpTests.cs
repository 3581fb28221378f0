using Clickwise.Compression.LowRank;
using Clickwise.Data;
using Clickwise.Models;
using Clickwise.Tests.Inference;

namespace Clickwise.Tests.Compression.LowRank;

/// <summary>AFM on a DNN: exact at full rank without the inner ReLU, and its error is the dropped eigenvalues.</summary>
public sealed class AfmMlpTests
{
    private const int Rows = 600;

    [Theory]
    [InlineData("deepfm")]
    [InlineData("deepfwfm")]
    [InlineData("dcn")]
    [InlineData("autoint+")]
    public void FullRankWithoutTheInnerReluReproducesTheLogits(string name)
    {
        CtrModel model = Model(name);
        InMemoryBatchSource rows = Data(Rows, seed: 4);
        LowRankCompression afm = AfmMlp.Compress(model, rows, RankSpec.Parse("13,7,9"), innerRelu: false);
        Assert.Equal([13, 7, 9], afm.Config.MlpRanks);

        CtrModel compressed = ModelRegistry.Load(afm.Config, RandomModels.Layout, afm.Tensors).Prepared(200);
        foreach (Batch batch in rows.Batches(200, shuffle: false, seed: 0))
        {
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, RandomModels.ForwardLogits(compressed, batch), $"{name} full rank", tolerance: 1e-5f);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void TheReconstructionErrorOfEachLayerIsItsDroppedEigenvalues(int k)
    {
        CtrModel model = Model("deepfm");
        InMemoryBatchSource rows = Data(Rows, seed: 5);
        LowRankCompression afm = AfmMlp.Compress(model, rows, RankSpec.Parse($"0,{k},{k}"), innerRelu: false);
        Assert.Equal([0, k, k], afm.Config.MlpRanks);
        Assert.Equal(["mlp.1", "mlp.2"], afm.Layers.Select(l => l.Name));

        CtrModel compressed = ModelRegistry.Load(afm.Config, RandomModels.Layout, afm.Tensors).Prepared(200);
        double measured = Layer2Error(model, rows, afm, k);
        double expected = afm.Layers[1].DroppedVariance;
        Assert.True(Math.Abs(measured - expected) <= 1e-4 * Math.Max(expected, 1e-3), $"k = {k}: measured {measured:G6}, Σ dropped λ {expected:G6}");
        Assert.True(compressed.Dnn!.IsLowRank);
    }

    [Fact]
    public void ByEnergyTheFirstLayerStaysAndRanksFollowTheShare()
    {
        CtrModel model = Model("deepfm");
        LowRankCompression afm = AfmMlp.Compress(model, Data(Rows, seed: 6), RankSpec.Parse("energy:0.9"), innerRelu: true);
        Assert.Equal(0, afm.Config.MlpRanks[0]);
        for (int l = 1; l < 3; l++)
        {
            LowRankLayer layer = afm.Layers[l - 1];
            Assert.Equal(layer.RankHolding(0.9), afm.Config.MlpRanks[l]);
            Assert.True(layer.EnergyKept >= 0.9 - 1e-12);
        }

        Assert.True(afm.Config.MlpInnerRelu);
        Assert.Throws<ArgumentException>(() => AfmMlp.Compress(ModelRegistry.Load(afm.Config, RandomModels.Layout, afm.Tensors).Prepared(200),
            Data(10, seed: 1), RankSpec.Parse("0,2,2"), innerRelu: true));
        Assert.Throws<ArgumentException>(() => AfmMlp.Compress(ModelRegistry.Create(RandomModels.Config("fm"), RandomModels.Layout).Prepared(10),
            Data(10, seed: 1), RankSpec.Parse("1"), innerRelu: true));
    }

    [Fact]
    public void AfmReconstructsNoWorseThanSvdAtEveryRank()
    {
        CtrModel model = Model("deepfm");
        InMemoryBatchSource rows = Data(Rows, seed: 8);
        for (int k = 1; k <= 7; k++)
        {
            RankSpec ranks = RankSpec.Parse($"0,0,{k}");
            double afm = Layer2Error(model, rows, AfmMlp.Compress(model, rows, ranks, innerRelu: false), k);
            double svd = Layer2Error(model, rows, SvdMlp.Compress(model, ranks, innerRelu: false), k);
            Assert.True(afm <= svd * (1 + 1e-6) + 1e-9, $"k = {k}: AFM {afm:G6} > SVD {svd:G6}"); // both ~0 once k reaches the input width
        }
    }

    [Theory]
    [InlineData("deepfm")]
    [InlineData("dcn")]
    public void SvdAtFullRankWithoutTheInnerReluReproducesTheLogits(string name)
    {
        CtrModel model = Model(name);
        LowRankCompression svd = SvdMlp.Compress(model, RankSpec.Parse("13,7,7"), innerRelu: false);
        Assert.All(svd.Tensors["mlp.1.down.bias"], b => Assert.Equal(0f, b));
        CtrModel compressed = ModelRegistry.Load(svd.Config, RandomModels.Layout, svd.Tensors).Prepared(200);
        foreach (Batch batch in Data(Rows, seed: 9).Batches(200, shuffle: false, seed: 0))
        {
            RandomModels.AssertClose(RandomModels.ForwardLogits(model, batch), RandomModels.ForwardLogits(compressed, batch), $"{name} SVD",
                tolerance: 1e-5f);
        }
    }

    /// <summary>Mean over rows of ‖y − ŷ‖² for layer 2 (width 9), ŷ from the compression's factors on the original layer-1 outputs.</summary>
    private static double Layer2Error(CtrModel model, InMemoryBatchSource rows, LowRankCompression compression, int k)
    {
        double squaredError = 0;
        var original = new float[200 * 9];
        var approximated = new float[200 * 9];
        model.Dnn!.ProductObserver = (layer, product, b) => { if (layer == 2) { product.CopyTo(original); } };
        try
        {
            foreach (Batch batch in rows.Batches(200, shuffle: false, seed: 0))
            {
                RandomModels.ForwardLogits(model, batch);
                Reconstruct(compression.Tensors, model.Dnn.HiddenOutput(1, batch.Count), batch.Count, 7, k, 9, approximated);
                float[] bias = model.Dnn.Biases[2].Value;
                for (int b = 0; b < batch.Count; b++)
                {
                    for (int j = 0; j < 9; j++)
                    {
                        double diff = original[b * 9 + j] + bias[j] - approximated[b * 9 + j];
                        squaredError += diff * diff;
                    }
                }
            }
        }
        finally
        {
            model.Dnn.ProductObserver = null;
        }

        return squaredError / rows.RowCount;
    }

    private static CtrModel Model(string name) => RandomModels.Perturbed(RandomModels.Config(name) with { HiddenUnits = [13, 7, 9] }, seed: 12);

    private static InMemoryBatchSource Data(int rows, int seed) => RandomModels.Rows(rows, seed);

    /// <summary>ŷ = (x·down + downBias)·up + bias for the compressed layer 2, in double.</summary>
    private static void Reconstruct(IReadOnlyDictionary<string, float[]> t, ReadOnlySpan<float> x, int rows, int n, int k, int m, float[] y)
    {
        float[] down = t["mlp.2.down.weight"], downBias = t["mlp.2.down.bias"], up = t["mlp.2.up.weight"], bias = t["mlp.2.bias"];
        var inner = new double[k];
        for (int b = 0; b < rows; b++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = downBias[j];
                for (int i = 0; i < n; i++)
                {
                    sum += x[b * n + i] * down[i * k + j];
                }

                inner[j] = sum;
            }

            for (int r = 0; r < m; r++)
            {
                double sum = bias[r];
                for (int j = 0; j < k; j++)
                {
                    sum += inner[j] * up[j * m + r];
                }

                y[b * m + r] = (float)sum;
            }
        }
    }
}
