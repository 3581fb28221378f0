using System.Numerics.Tensors;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Tests.Layers;

namespace Clickwise.Tests.Models;

/// <summary>
/// Central-difference check of every parameter of every model through the whole Forward/Backward program,
/// with L = Σ logits ⊙ r, non-unit feature values and a repeated id in the batch.
/// </summary>
public sealed class ModelGradientTests(ITestOutputHelper output)
{
    private const int B = 4;
    private static readonly FeatureLayout Layout = new(["a", "b", "c", "d", "e"], [4, 6, 3, 5, 2]);

    public static TheoryData<string> Models => [.. ModelRegistry.Names];

    private static Batch MakeBatch(bool multiHot = false)
    {
        var batch = new Batch(B, Layout.FieldCount) { Count = B, HasValues = true };
        var random = new SeededRandom(17);
        for (int b = 0; b < B; b++)
        {
            for (int f = 0; f < Layout.FieldCount; f++)
            {
                int i = b * Layout.FieldCount + f;
                batch.Ids[i] = Layout.Offsets[f] + (int)(random.NextUInt64() % (ulong)Layout.Sizes[f]);
                batch.Values[i] = (float)random.NextUniform(0.5, 1.5);
            }

            batch.Labels[b] = b % 2;
        }

        batch.Ids[Layout.FieldCount] = batch.Ids[0]; // rows 0 and 1 share their field-a id
        if (multiHot)
        {
            // Lookups get 0, 1 or 2 more features of their field (ids may repeat the first one's).
            for (int n = 0; n < B * Layout.FieldCount; n++)
            {
                int f = n % Layout.FieldCount;
                for (int k = 0; k < (n * 7 + 1) % 3; k++)
                {
                    batch.Extras.Add(Layout.Offsets[f] + (int)(random.NextUInt64() % (ulong)Layout.Sizes[f]), (float)random.NextUniform(0.5, 1.5));
                }

                batch.Extras.EndLookup();
            }
        }

        return batch;
    }

    private static ModelConfig Config(string name, float dropout = 0f) => new()
    {
        Name = name,
        EmbeddingDim = 4,
        HiddenUnits = [6, 5],
        Options = name switch
        {
            "xdeepfm" => new XDeepFMOptions { CinLayers = [6, 4, 3] }, // small, even before the last (split-half)
            // D = 4 → K·d' = 6 → 6, a residual projection in both layers
            "autoint" or "autoint+" => new AutoIntOptions { AttentionLayers = 2, AttentionHeads = 2, AttentionDim = 3 },
            // Small streams and gates: with FinalMLP's 800-wide defaults some unit sits next to its ReLU kink for any seed.
            "finalmlp" => new FinalMlpOptions { Mlp2HiddenUnits = [5], FsHiddenUnits = [3] },
            _ => ModelRegistry.DefaultOptions(name),
        },
        Dropout = dropout,
        InitStd = 0.3f, // large enough that second-order terms matter in the check
        // Seed 5 fails wdl-fm's deep-embedding check by a relative 3e-2, the size a hidden unit next to its ReLU kink
        // gives (see the PNN* note below); seed 6 passes, and its gradients match PyTorch in the golden test.
        Seed = name == "wdl-fm" ? 6 : 5,
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryParameterMatchesCentralDifferences(string name) =>
        CheckModel(ModelRegistry.Create(Config(name), Layout).Prepared(B), replayDropout: null);

    /// <summary>AFM's compressed embeddings (k = 2 of D = 4, projected per field) and low-rank DNN layers, through every model that has them.</summary>
    [Theory]
    [InlineData("fm")]
    [InlineData("deepfm")]
    [InlineData("deepfwfm")]
    [InlineData("nfm")]
    [InlineData("autoint+")]
    [InlineData("autoint")]
    [InlineData("fibinet")]
    [InlineData("dcnv2")]
    public void CompressedEmbeddingsAndLowRankLayersMatchCentralDifferences(string name)
    {
        // tanh and no ReLU between the factors: the projection carries a step to several units at once, and at ReLU kinks
        // that breaks central differences for some seed or other (the ReLU paths are checked layer by layer); AutoInt's attention
        // ReLU still sits next to a kink for seed 5, not for 6 or 7.
        ModelConfig config = Config(name) with { EmbeddingRank = 2, Activation = Activation.Tanh, MlpInnerRelu = false, Seed = 6 };
        if (config.HasDnn)
        {
            config = config with { MlpRanks = [0, 3] };
        }

        CtrModel model = ModelRegistry.Create(config, Layout).Prepared(B);
        Assert.Contains(model.Parameters, p => p.Name == "embedding.proj.weight");
        CheckModel(model, replayDropout: null);
    }

    /// <summary>Tensor-train rows for the two largest fields (b: 6 rows, d: 5), rank 3, through models with different readers of the embeddings.</summary>
    /// <remarks>Multi-hot rows pool extra features into train fields (their rows contracted too) and into table fields (mapped rows).</remarks>
    [Theory]
    [InlineData("deepfm", false)]
    [InlineData("fwfm", false)]
    [InlineData("dcn", false)]
    [InlineData("nfm", false)]
    [InlineData("xdeepfm", false)]
    [InlineData("wdl-fm", false)]
    [InlineData("deepfm", true)]
    [InlineData("dcn", true)]
    public void TensorTrainFieldsMatchCentralDifferences(string name, bool multiHot)
    {
        CtrModel model = ModelRegistry.Create(Config(name) with { EmbeddingTtRank = 3 }, Layout).Prepared(B);
        Assert.Equal([Layout.TotalRows - 6 - 5 + 1, 4], model.Parameters.Single(p => p.Name == "embedding").Shape);
        Assert.Equal(["embedding.tt.1", "embedding.tt.3"], model.Parameters.Where(p => p.Role == ParameterRole.TensorTrainCore).Select(p => p.Name));
        CheckModel(model, replayDropout: null, multiHot: multiHot);
    }

    /// <summary>
    /// Quotient-remainder rows for the two largest fields (b: 6 rows, d: 5), by product and by sum, m = 2 or 3 (both 19 table
    /// rows), through models with different readers of the embeddings. A shared quotient or remainder row moves several lookups
    /// at once, so m is chosen per model where the 1e-3 step crosses no ReLU kink (deepfm at m = 2 and dcn at m = 3 cross one).
    /// </summary>
    [Theory]
    [InlineData("deepfm", QrOperation.Multiply, 3)]
    [InlineData("deepfm", QrOperation.Add, 2)]
    [InlineData("dcn", QrOperation.Multiply, 2)]
    [InlineData("fnn", QrOperation.Multiply, 3)]
    [InlineData("ipnn", QrOperation.Add, 3)]
    [InlineData("deepfwfm", QrOperation.Multiply, 2)]
    public void QuotientRemainderFieldsMatchCentralDifferences(string name, QrOperation operation, int collisions)
    {
        CtrModel model = ModelRegistry.Create(
            Config(name) with { EmbeddingQrCollisions = collisions, EmbeddingQrFields = 2, EmbeddingQrOperation = operation }, Layout).Prepared(B);
        // a, c, e keep their 4 + 3 + 2 rows; b and d take ⌈6/m⌉ + m and ⌈5/m⌉ + m
        Assert.Equal([4 + 3 + 2 + 5 + 5, 4], model.Parameters.Single(p => p.Name == "embedding").Shape);
        CheckModel(model, replayDropout: null);
    }

    [Theory]
    [MemberData(nameof(Models))]
    // FinalMLP's fs2 gate weights get gradients of ~2e-3 here, where a 1e-2 step leaves a relative 2.0e-3 of float32
    // rounding; a 3e-2 step (as for the low-rank mixture below) keeps it well under.
    public void EveryParameterMatchesCentralDifferencesOnMultiHotRows(string name) =>
        CheckModel(ModelRegistry.Create(Config(name), Layout).Prepared(B), replayDropout: null, smallEps: name == "finalmlp" ? 3e-2f : 1e-2f,
            multiHot: true);

    // The second expert's v and c gradients are ~1.5e-3, where a 1e-2 step leaves ~3e-6 of float32 rounding in the
    // difference (relative 1.7e-3 with AVX2, 2.1-2.4e-3 with Vector128 or scalar sums); a 3e-2 step keeps every
    // width under 1e-3, and the tanh experts are smooth enough that the step adds no visible truncation.
    [Fact]
    public void DcnV2LowRankMixtureMatchesCentralDifferences() =>
        CheckModel(ModelRegistry.Create(Config("dcnv2") with { Options = new DcnV2Options { CrossLayers = 2, CrossRank = 2, CrossExperts = 3 } }, Layout).Prepared(B),
            replayDropout: null, smallEps: 3e-2f);

    // One layer: without the residual, a second layer's input rows are all ReLUs of averages of the same values, so
    // its scores barely differ between fields and its query/key gradients (~1e-6) drown in float32 rounding.
    [Fact]
    public void AutoIntWithoutResidualMatchesCentralDifferences() =>
        CheckModel(ModelRegistry.Create(Config("autoint") with { Options = new AutoIntOptions { AttentionResidual = false, AttentionLayers = 1, AttentionHeads = 2, AttentionDim = 3 } }, Layout).Prepared(B),
            replayDropout: null);

    [Theory]
    [InlineData("deepfm", 123)]
    [InlineData("deepfwfm", 123)]
    [InlineData("ipnn", 123)]
    [InlineData("opnn", 123)]
    // Masks 123, 124, 1 and 3 fail PNN* identically (same entry, same difference): they keep a hidden unit within
    // 1e-3 of its ReLU kink, where the one-sided differences straddle the analytic gradient (which matches one of
    // them, and central differences at 1e-4). Masks 2 and 4-8 pass.
    [InlineData("pnn", 2)]
    [InlineData("deepfm-ip", 123)]
    [InlineData("deepfm-op", 123)]
    [InlineData("deepfm-p", 123)]
    [InlineData("nfm", 123)]
    [InlineData("dnn", 123)]
    [InlineData("wdl", 123)]
    [InlineData("dcn", 123)]
    [InlineData("gdcn", 123)]
    [InlineData("xdeepfm", 123)]
    [InlineData("fibinet", 123)]
    [InlineData("fnn", 123)]
    [InlineData("wdl-fm", 123)]
    [InlineData("autoint+", 123)]
    public void DropoutModelsMatchWithAReplayedMask(string name, int maskSeed)
    {
        CtrModel model = ModelRegistry.Create(Config(name, dropout: 0.3f), Layout).Prepared(B);
        Mlp mlp = model.Dnn!;
        CheckModel(model, () => mlp.ResetDropout(maskSeed));
    }

    private void CheckModel(CtrModel model, Action? replayDropout, float smallEps = 1e-2f, bool multiHot = false)
    {
        Batch batch = MakeBatch(multiHot);
        // Zero-initialised biases put a unit whose whole input is dead exactly on the ReLU kink, where the
        // one-sided derivatives differ; small random biases move every pre-activation off it.
        var random = new SeededRandom(41);
        foreach (Parameter p in model.Parameters.Where(p => p.Role == ParameterRole.Bias))
        {
            random.FillUniform(p.Value, 0.2);
        }

        // FiBiNet's Glorot SENET weights excite every field by a ≪ 1 on these small embeddings, which leaves the whole
        // re-weighted branch (SENET and bilinear.v) with gradients near float32 rounding of the loss; weights in [1, 3]
        // make the excitations O(1).
        foreach (Parameter p in model.Parameters.Where(p => p.Name.StartsWith("senet.", StringComparison.Ordinal)))
        {
            random.FillUniform(p.Value, 1.0);
            TensorPrimitives.Add(p.Value, 2f, p.Value);
        }

        float[] r = GradientCheck.RandomWeights(B, 31);
        var logits = new float[B];
        double Loss()
        {
            replayDropout?.Invoke();
            model.Forward(batch, logits, training: true);
            return GradientCheck.Dot(logits, r);
        }

        model.Parameters.ZeroGrad();
        Loss();
        model.Backward(batch, r);

        foreach (Parameter p in model.Parameters)
        {
            // Cross-network gradients that pass through products of small factors (a gate's x_0 ⊙ cross ⊙ σ', a low-rank
            // expert's core) are ~1e-3, where a 1e-3 step's float32 loss difference is mostly rounding. A 1e-2 step lifts
            // them above it and is safe there: the cross branch has no ReLU kinks and does not feed the DNN.
            // CIN filters (products of three or more embedding factors) are in the same regime and also kink-free. The
            // attention's query and key gradients pass through the softmax's Jacobian and are as small (~5e-3), so they
            // take the same larger step; its value and residual projections keep 1e-3, where no pre-activation crosses
            // its ReLU kink (at 1e-2 one does).
            // FinalMLP's gate MLPs (fs*) see the batch only through Σ_b dx ⊙ e and a sigmoid: their gradients are as small.
            bool small = p.Name.StartsWith("cross.", StringComparison.Ordinal) || p.Name.StartsWith("cin.", StringComparison.Ordinal)
                || p.Name.StartsWith("fs", StringComparison.Ordinal)
                || (p.Name.StartsWith("attention.", StringComparison.Ordinal) && (p.Name.EndsWith(".query", StringComparison.Ordinal)
                    || p.Name.EndsWith(".key", StringComparison.Ordinal)));
            float eps = small ? smallEps : 1e-3f;
            float[] analytic = GradientCheck.Densify(p);
            GradientCheck.Check(p.Name, p.Value, analytic, Loss, eps: eps, output: output);
            bool mapped = model.Config.EmbeddingTtRank > 0 || model.Config.EmbeddingQrCollisions > 0;
            if (p.IsRowSparse && !(p.Name == EmbeddingPart.DefaultName && mapped)) // its rows are mapped, not the ids
            {
                AssertUntouchedRowsHaveNoGradient(p, batch, analytic);
            }
        }
    }

    private static void AssertUntouchedRowsHaveNoGradient(Parameter p, Batch batch, float[] dense)
    {
        var touched = new HashSet<int>([.. batch.IdsInUse, .. batch.ExtrasInUse.Ids]);
        Assert.Equal(touched.Count, p.RowGrad!.Count);
        for (int row = 0; row < p.RowCount; row++)
        {
            if (!touched.Contains(row))
            {
                Assert.All(dense.AsSpan(row * p.RowWidth, p.RowWidth).ToArray(), g => Assert.Equal(0f, g));
            }
        }
    }
}
