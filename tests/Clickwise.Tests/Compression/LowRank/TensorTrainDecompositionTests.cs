using Clickwise.Compression.LowRank;
using Clickwise.Data;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Tests.Inference;

namespace Clickwise.Tests.Compression.LowRank;

/// <summary>TT-SVD of a trained table: exact at the full TT ranks, its error falling as the rank grows, and the model it makes.</summary>
public sealed class TensorTrainDecompositionTests
{
    [Theory]
    [InlineData(50, 6)]
    [InlineData(1, 4)]
    [InlineData(343, 16)]
    public void FullRanksReproduceTheTable(int vocabulary, int dim)
    {
        float[] rows = Table(vocabulary, dim, seed: 1, structure: 0);
        TensorTrainShape shape = TensorTrainShape.For(vocabulary, dim, rank: 10_000);
        (float[] cores, double[] firstCut) = TensorTrainDecomposition.Decompose(rows, vocabulary, shape);
        double error = TensorTrainDecomposition.RelativeError(rows, vocabulary, shape, cores);
        Assert.True(error <= 1e-5, $"V {vocabulary} D {dim} ({shape}): relative error {error:E2}");
        Assert.Equal(shape.RowFactors[0] * shape.DimFactors[0], firstCut.Length);
    }

    [Fact]
    public void TheErrorFallsAsTheRankGrows()
    {
        const int vocabulary = 500, dim = 16;
        float[] rows = Table(vocabulary, dim, seed: 2, structure: 3);
        double previous = double.PositiveInfinity;
        foreach (int rank in new[] { 1, 2, 4, 8, 16, 32 })
        {
            TensorTrainShape shape = TensorTrainShape.For(vocabulary, dim, rank);
            (float[] cores, _) = TensorTrainDecomposition.Decompose(rows, vocabulary, shape);
            double error = TensorTrainDecomposition.RelativeError(rows, vocabulary, shape, cores);
            Assert.True(error < previous, $"rank {rank}: {error:E3} not below {previous:E3}");
            previous = error;
        }

        Assert.True(previous <= 1e-5, $"rank 32 is the full TT rank of 8×8×8 rows by 2×2×4: {previous:E2}");
    }

    [Theory]
    [InlineData("deepfm", 2)]
    [InlineData("dcn", 3)]
    public void AtFullRankTheCompressedModelKeepsTheLogits(string name, int fields)
    {
        CtrModel model = RandomModels.Perturbed(RandomModels.Config(name), seed: 13);
        LowRankCompression compression = LowRankEmbedding.Tt(model, rank: 1000, fields);
        Assert.Equal((1000, fields), (compression.Config.EmbeddingTtRank, compression.Config.EmbeddingTtFields));
        Assert.Equal(fields, compression.Layers.Count);
        Assert.All(compression.Layers, l => Assert.True(l.RelativeError <= 1e-5, $"{l.Name}: {l.RelativeError:E2}"));
        CtrModel compressed = ModelRegistry.Load(compression.Config, RandomModels.Layout, compression.Tensors).Prepared(200);
        foreach (Batch batch in RandomModels.Rows(400, seed: 3).Batches(200, shuffle: false, seed: 0))
        {
            RandomModels.AssertClose(RandomModels.ForwardLogits(model, batch), RandomModels.ForwardLogits(compressed, batch), $"{name} full TT rank",
                tolerance: 1e-5f);
        }

        Assert.Throws<ArgumentException>(() => LowRankEmbedding.Tt(compressed, 2, 1));
        Assert.StartsWith("embedding_tt_rank: ", Assert.Throws<ArgumentException>(() => LowRankEmbedding.Tt(RandomModels.Perturbed(RandomModels.Config("ffm"), seed: 1), 2, 1)).Message);
    }

    [Fact]
    public void TruncatedTrainsHoldFewerParametersThanTheirRows()
    {
        var layout = new Clickwise.Features.FeatureLayout(["small", "large"], [10, 20_000]);
        CtrModel model = ModelRegistry.Create(new ModelConfig { Name = "fm", EmbeddingDim = 16 }, layout);
        LowRankCompression compression = LowRankEmbedding.Tt(model, rank: 4, fields: 1);
        Assert.Equal(10 + 1, compression.Tensors["embedding"].Length / 16);
        Assert.True(compression.ParametersAfter < compression.ParametersBefore - 19_000 * 16,
            $"{compression.ParametersBefore} → {compression.ParametersAfter}");
    }

    /// <summary>Random rows: noise plus, for <paramref name="structure"/> > 0, that many rank-one products over the rows' digits (so the rank matters).</summary>
    private static float[] Table(int vocabulary, int dim, long seed, int structure)
    {
        var rows = new float[vocabulary * dim];
        var random = new SeededRandom(seed);
        random.FillUniform(rows, structure > 0 ? 0.05 : 1.0);
        for (int s = 0; s < structure; s++)
        {
            var a = new float[vocabulary];
            var b = new float[dim];
            random.FillUniform(a, 1.0);
            random.FillUniform(b, 1.0);
            for (int v = 0; v < vocabulary; v++)
            {
                for (int d = 0; d < dim; d++)
                {
                    rows[v * dim + d] += a[v] * b[d];
                }
            }
        }

        return rows;
    }
}
