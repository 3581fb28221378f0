using Clickwise.Compression.LowRank;
using Clickwise.Data;
using Clickwise.Models;
using Clickwise.Tests.Inference;

namespace Clickwise.Tests.Compression.LowRank;

/// <summary>AFM and SVD on the shared embedding table: exact at full rank, AFM's error the dropped eigenvalues and never above SVD's.</summary>
public sealed class LowRankEmbeddingTests
{
    private const int Rows = 800;

    [Theory]
    [InlineData("fm")]
    [InlineData("deepfm")]
    [InlineData("nfm")]
    [InlineData("autoint+")]
    [InlineData("fibinet")]
    public void FullRankReproducesTheLogitsWithFeatureValues(string name)
    {
        CtrModel model = Model(name);
        InMemoryBatchSource rows = Data(seed: 4);
        foreach (LowRankCompression compression in new[] { LowRankEmbedding.Afm(model, rows, 5), LowRankEmbedding.Svd(model, 5) })
        {
            Assert.Equal(5, compression.Config.EmbeddingRank);
            CtrModel compressed = ModelRegistry.Load(compression.Config, RandomModels.Layout, compression.Tensors).Prepared(200);
            foreach (Batch batch in rows.Batches(200, shuffle: false, seed: 0))
            {
                RandomModels.AssertClose(RandomModels.ForwardLogits(model, batch), RandomModels.ForwardLogits(compressed, batch), $"{name} full rank",
                    tolerance: 1e-5f);
            }
        }
    }

    [Fact]
    public void AfmErrorIsTheDroppedEigenvaluesAndNeverAboveSvds()
    {
        CtrModel model = Model("fm");
        InMemoryBatchSource rows = Data(seed: 5);
        for (int k = 1; k <= 5; k++)
        {
            LowRankCompression afm = LowRankEmbedding.Afm(model, rows, k), svd = LowRankEmbedding.Svd(model, k);
            double[] afmError = FieldErrors(model, afm, rows), svdError = FieldErrors(model, svd, rows);
            for (int f = 0; f < afmError.Length; f++)
            {
                double dropped = afm.Layers[f].DroppedVariance;
                Assert.True(Math.Abs(afmError[f] - dropped) <= 1e-4 * Math.Max(dropped, 1e-4), $"k {k} field {f}: {afmError[f]:G6} vs Σ dropped λ {dropped:G6}");
                Assert.True(afmError[f] <= svdError[f] * (1 + 1e-6) + 1e-9, $"k {k} field {f}: AFM {afmError[f]:G6} > SVD {svdError[f]:G6}");
            }
        }
    }

    [Fact]
    public void ModelsWithoutASharedTableOrAlreadyCompressedAreRefused()
    {
        InMemoryBatchSource rows = Data(seed: 6);
        Assert.StartsWith("embedding_rank: ", Assert.Throws<ArgumentException>(() => LowRankEmbedding.Svd(Model("ffm"), 2)).Message);
        LowRankCompression once = LowRankEmbedding.Afm(Model("fm"), rows, 2);
        CtrModel compressed = ModelRegistry.Load(once.Config, RandomModels.Layout, once.Tensors).Prepared(200);
        Assert.Throws<ArgumentException>(() => LowRankEmbedding.Afm(compressed, rows, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LowRankEmbedding.Svd(Model("fm"), 6));
    }

    /// <summary>Per field, the mean over rows of ‖e − ê‖² with e = x·D[id] and ê = (x·D'[id])·W + b.</summary>
    private static double[] FieldErrors(CtrModel model, LowRankCompression compression, InMemoryBatchSource rows)
    {
        int fields = RandomModels.Layout.FieldCount, dim = model.Config.EmbeddingDim, k = compression.Config.EmbeddingRank;
        float[] table = model.Parameters.Single(p => p.Name == "embedding").Value;
        float[] small = compression.Tensors["embedding"], weight = compression.Tensors["embedding.proj.weight"], bias = compression.Tensors["embedding.proj.bias"];
        var error = new double[fields];
        foreach (Batch batch in rows.Batches(Rows, shuffle: false, seed: 0))
        {
            for (int n = 0; n < batch.Count * fields; n++)
            {
                int f = n % fields, id = batch.Ids[n];
                double x = batch.Values[n];
                for (int d = 0; d < dim; d++)
                {
                    double approx = bias[f * dim + d];
                    for (int j = 0; j < k; j++)
                    {
                        approx += x * small[id * k + j] * weight[(f * k + j) * dim + d];
                    }

                    double diff = x * table[id * dim + d] - approx;
                    error[f] += diff * diff;
                }
            }
        }

        return [.. error.Select(e => e / rows.RowCount)];
    }

    private static CtrModel Model(string name) => RandomModels.Perturbed(RandomModels.Config(name), seed: 13);

    private static InMemoryBatchSource Data(int seed) => RandomModels.Rows(Rows, seed);
}
