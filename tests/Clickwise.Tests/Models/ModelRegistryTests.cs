using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

public sealed class ModelRegistryTests
{
    /// <summary>Every registered model, so a new one is covered without editing the lists.</summary>
    public static TheoryData<string> EveryModel => [.. ModelRegistry.Names];

    private static readonly FeatureLayout Layout = new(["a", "b", "c"], [3, 4, 2]);

    private static ModelConfig Config(string name, int seed = 7) => new()
    {
        Name = name, EmbeddingDim = 3, HiddenUnits = [4, 4], Dropout = 0.5f, Seed = seed,
        Options = ModelRegistry.DefaultOptions(name) switch
        {
            DcnV2Options => new DcnV2Options { CrossLayers = 2 },
            CrossOptions => new CrossOptions { CrossLayers = 2 },
            AutoIntOptions => new AutoIntOptions { AttentionLayers = 2, AttentionDim = 5 },
            var options => options,
        },
    };

    [Theory]
    [InlineData("lr", "first_order,bias")]
    [InlineData("fm", "embedding,first_order,bias")]
    [InlineData("fwfm", "embedding,fwfm.v,fwfm.r,bias")]
    [InlineData("deepfm", "embedding,first_order,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("deepfwfm", "embedding,fwfm.v,fwfm.r,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("nfm", "embedding,first_order,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("dnn", "embedding,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("wdl", "embedding,first_order,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("dcn", "embedding,bias,cross.0.weight,cross.0.bias,cross.1.weight,cross.1.bias,cross.output.weight,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("dcnv2", "embedding,bias,cross.0.weight,cross.0.bias,cross.1.weight,cross.1.bias,cross.output.weight,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("gdcn", "embedding,bias,cross.0.weight,cross.0.bias,cross.0.gate,cross.1.weight,cross.1.bias,cross.1.gate,cross.output.weight,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("ipnn", "embedding,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("opnn", "embedding,product.kernels,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("pnn", "embedding,product.kernels,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("deepfm-ip", "embedding,first_order,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("deepfm-op", "embedding,first_order,product.kernels,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("deepfm-p", "embedding,first_order,product.kernels,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("xdeepfm", "embedding,first_order,bias,cin.0.weight,cin.0.bias,cin.1.weight,cin.1.bias,cin.2.weight,cin.2.bias,cin.output.weight,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("fibinet", "embedding,first_order,bias,senet.squeeze,senet.excite,bilinear.e.weight,bilinear.v.weight,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("ffm", "ffm.embedding,first_order,bias")]
    [InlineData("fnn", "embedding,first_order,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("wdl-fm", "embedding,wide.embedding,first_order,bias,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("autoint", "embedding,bias,attention.0.query,attention.0.key,attention.0.value,attention.0.residual,attention.1.query,attention.1.key,attention.1.value,attention.1.residual,attention.output.weight")]
    [InlineData("autoint+", "embedding,bias,attention.0.query,attention.0.key,attention.0.value,attention.0.residual,attention.1.query,attention.1.key,attention.1.value,attention.1.residual,attention.output.weight,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    public void ParameterNamesAreStable(string name, string expected)
    {
        CtrModel model = ModelRegistry.Create(Config(name), Layout).Prepared(8);
        Assert.Equal(expected, string.Join(",", model.Parameters.Select(p => p.Name)));
    }

    [Fact]
    public void ShapesAndRolesFollowTheLayout()
    {
        CtrModel model = ModelRegistry.Create(Config("deepfwfm"), Layout).Prepared(8);
        ParameterSet p = model.Parameters;
        Assert.Equal([9, 3], p["embedding"].Shape);
        Assert.True(p["embedding"].IsRowSparse);
        Assert.Equal(ParameterRole.Embedding, p["embedding"].Role);
        Assert.Equal([3], p["fwfm.r"].Shape); // P = F(F-1)/2 upper-triangle pair weights
        Assert.Equal(ParameterRole.FieldMatrix, p["fwfm.r"].Role);
        Assert.Equal([3, 3], p["fwfm.v"].Shape);
        Assert.Equal(ParameterRole.FieldLinear, p["fwfm.v"].Role);
        Assert.Equal([9, 4], p["mlp.0.weight"].Shape); // DNN input = flattened [B, F·D]
        Assert.Equal([4, 1], p["mlp.2.weight"].Shape);
        Assert.Equal(ParameterRole.DenseWeight, p["mlp.1.weight"].Role);
        Assert.Equal(ParameterRole.Bias, p["mlp.1.bias"].Role);
        Assert.Equal(ParameterRole.Bias, p["bias"].Role);
        Assert.False(p["mlp.0.weight"].IsRowSparse);

        CtrModel lr = ModelRegistry.Create(Config("lr"), Layout).Prepared(8);
        Assert.Equal([9, 1], lr.Parameters["first_order"].Shape);
        Assert.Equal(ParameterRole.FirstOrder, lr.Parameters["first_order"].Role);
        Assert.True(lr.Parameters["first_order"].IsRowSparse);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("nosuchmodel"), Layout).Prepared(8));
        Assert.Contains("nosuchmodel", ex.Message);
        Assert.Contains("deepfwfm", ex.Message);
    }

    [Fact]
    public void EveryEntryHasOneLowerCaseNameATitleAFamilyAndAPaper()
    {
        Assert.Equal(ModelRegistry.Entries.Count, ModelRegistry.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (ModelEntry entry in ModelRegistry.Entries)
        {
            Assert.Equal(entry.Name.ToLowerInvariant(), entry.Name);
            Assert.Same(entry, ModelRegistry.Find(entry.Name));
            Assert.All([entry.Title, entry.Family, entry.Logit, entry.Paper], text => Assert.False(string.IsNullOrWhiteSpace(text)));
        }

        Assert.Null(ModelRegistry.Find("nosuchmodel"));
    }

    [Fact]
    public void EveryModelWithOneDnnExposesItAndOnlyThoseTakeLowRankLayers()
    {
        foreach (ModelEntry entry in ModelRegistry.Entries)
        {
            CtrModel model = ModelRegistry.Create(Config(entry.Name), Layout);
            bool oneDnn = entry.Dnn && entry.Name != "finalmlp"; // FinalMLP's two streams are not one DNN
            Assert.True(oneDnn == model.Dnn is not null, $"{entry.Name}: Dnn is {(model.Dnn is null ? "null" : "set")}");
            ModelConfig ranked = Config(entry.Name) with { MlpRanks = [.. Config(entry.Name).HiddenUnits.Select(_ => 1)] };
            if (oneDnn)
            {
                Assert.True(ModelRegistry.Create(ranked, Layout).Dnn!.IsLowRank, entry.Name);
            }
            else
            {
                Assert.ThrowsAny<ArgumentException>(() => { ranked.Validate(); ModelRegistry.Create(ranked, Layout); });
            }
        }
    }

    [Fact]
    public void EveryModelWithASharedTableTakesCompressedEmbeddingsAndTheOthersSayWhyNot()
    {
        string[] without = ["lr", "ffm", "fnn"];
        foreach (ModelEntry entry in ModelRegistry.Entries)
        {
            ModelConfig config = Config(entry.Name) with { EmbeddingRank = 2 };
            if (without.Contains(entry.Name))
            {
                Assert.StartsWith("embedding_rank: ", Assert.Throws<ArgumentException>(() => ModelRegistry.Create(config, Layout)).Message);
            }
            else
            {
                CtrModel model = ModelRegistry.Create(config, Layout);
                Assert.Contains(model.Parameters, p => p.Name == "embedding.proj.weight");
                Assert.Equal(2, model.Parameters.Single(p => p.Name == "embedding").Shape[1]);
            }
        }
    }

    [Fact]
    public void EveryModelWithASharedTableTakesTensorTrainFieldsAndTheOthersSayWhyNot()
    {
        string[] without = ["lr", "ffm", "fnn"];
        foreach (ModelEntry entry in ModelRegistry.Entries)
        {
            ModelConfig config = Config(entry.Name) with { EmbeddingTtRank = 2, EmbeddingTtFields = 1 };
            if (without.Contains(entry.Name))
            {
                Assert.StartsWith("embedding_tt_rank: ", Assert.Throws<ArgumentException>(() => ModelRegistry.Create(config, Layout)).Message);
            }
            else
            {
                CtrModel model = ModelRegistry.Create(config, Layout);
                Assert.Equal(3 + 2 + 1, model.Parameters.Single(p => p.Name == "embedding").RowCount); // field b (4 rows) left for its cores
                Assert.Equal("embedding.tt.1", model.Parameters.Single(p => p.Role == ParameterRole.TensorTrainCore).Name);
            }
        }
    }

    [Fact]
    public void TensorTrainFieldsRefuseCompressedEmbeddingsAndTooManyFields()
    {
        ModelConfig config = Config("deepfm") with { EmbeddingTtRank = 2 };
        Assert.Contains("set one of them", Assert.Throws<ArgumentException>(() => (config with { EmbeddingRank = 2 }).Validate()).Message);
        Assert.Contains("the data has 3 fields", Assert.Throws<ArgumentException>(() => ModelRegistry.Create(config with { EmbeddingTtFields = 4 }, Layout)).Message);
    }

    [Fact]
    public void InitialisationIsDeterministicForASeed()
    {
        CtrModel a = ModelRegistry.Create(Config("deepfwfm", seed: 1), Layout).Prepared(8);
        CtrModel b = ModelRegistry.Create(Config("deepfwfm", seed: 1), Layout).Prepared(8);
        CtrModel c = ModelRegistry.Create(Config("deepfwfm", seed: 2), Layout).Prepared(8);
        foreach (Parameter p in a.Parameters)
        {
            Assert.Equal(p.Value, b.Parameters[p.Name].Value);
        }

        Assert.NotEqual(a.Parameters["embedding"].Value, c.Parameters["embedding"].Value);
        Assert.NotEqual(a.Parameters["mlp.0.weight"].Value, c.Parameters["mlp.0.weight"].Value);
    }

    [Fact]
    public void InitialisationScalesFollowTheConfig()
    {
        var layout = new FeatureLayout(["a", "b"], [3000, 2000]);
        var config = new ModelConfig { Name = "deepfm", EmbeddingDim = 10, HiddenUnits = [50], InitStd = 0.01f, Seed = 3 };
        CtrModel model = ModelRegistry.Create(config, layout).Prepared(4);
        float[] emb = model.Parameters["embedding"].Value;
        double std = Math.Sqrt(emb.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.0095, 0.0105);
        float heBound = MathF.Sqrt(6f / 20f);
        float[] w0 = model.Parameters["mlp.0.weight"].Value;
        Assert.All(w0, w => Assert.InRange(w, -heBound, heBound));
        Assert.True(w0.Max() > 0.9f * heBound, "He-uniform should reach near its bound");
        Assert.All(model.Parameters["mlp.0.bias"].Value, b => Assert.Equal(0f, b));
    }

    [Fact]
    public void DropoutMasksAreDeterministicPerSeedAndOffInEvaluation()
    {
        Batch batch = new(8, 3) { Count = 8 };
        for (int i = 0; i < 24; i++)
        {
            batch.Ids[i] = Layout.Offsets[i % 3] + i % Layout.Sizes[i % 3];
        }

        float[] Run(CtrModel m, bool training)
        {
            var logits = new float[8];
            m.Forward(batch, logits, training);
            return logits;
        }

        CtrModel a = ModelRegistry.Create(Config("deepfm"), Layout).Prepared(8);
        CtrModel b = ModelRegistry.Create(Config("deepfm"), Layout).Prepared(8);
        float[] trainA = Run(a, true);
        Assert.Equal(trainA, Run(b, true));              // same seed → same masks
        Assert.NotEqual(trainA, Run(a, true));           // next step → new masks
        Assert.Equal(Run(a, false), Run(b, false));      // evaluation is deterministic
        Assert.NotEqual(trainA, Run(b, false));
    }

    [Theory]
    [MemberData(nameof(EveryModel))]
    [InlineData("dcnv2", 2)]
    public void TrainingStepAllocatesNothing(string name, int crossRank = 0)
    {
        CtrModel model = ModelRegistry.Create((crossRank > 0 ? Config(name) with { Options = new DcnV2Options { CrossLayers = 2, CrossRank = crossRank } } : Config(name)), Layout).Prepared(8);
        Batch batch = new(8, 3) { Count = 8 };
        for (int i = 0; i < 24; i++)
        {
            batch.Ids[i] = Layout.Offsets[i % 3] + (i * 7) % Layout.Sizes[i % 3];
        }

        var logits = new float[8];
        var dLogits = new float[8];
        void Step()
        {
            model.Parameters.ZeroGrad();
            model.Forward(batch, logits, training: true);
            BinaryLogLoss.Forward(logits, batch.LabelsInUse, 8, dLogits);
            model.Backward(batch, dLogits);
        }

        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            Step(); // a loaded machine may promote a method's code between the first steps; steady state is what counts
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void TheZoosSecondTablesHaveTheirOwnNamesShapesAndRowSparseUpdates()
    {
        // FFM: one [V, F·D] field-aware table; FNN: the FM's tables, a DNN over F·(D + 1); FM & DNN: two [V, D] tables.
        ParameterSet ffm = ModelRegistry.Create(Config("ffm"), Layout).Prepared(8).Parameters;
        Assert.Equal([9, 3 * 3], ffm["ffm.embedding"].Shape);
        Assert.Equal(ParameterRole.Embedding, ffm["ffm.embedding"].Role);
        Assert.True(ffm["ffm.embedding"].IsRowSparse);

        ParameterSet fnn = ModelRegistry.Create(Config("fnn"), Layout).Prepared(8).Parameters;
        Assert.Equal([9, 3], fnn["embedding"].Shape);
        Assert.Equal([9, 1], fnn["first_order"].Shape);
        Assert.Equal(ParameterRole.FirstOrder, fnn["first_order"].Role);
        Assert.True(fnn["first_order"].IsRowSparse);
        Assert.Equal([3 * (3 + 1), 4], fnn["mlp.0.weight"].Shape);

        ParameterSet wdlFm = ModelRegistry.Create(Config("wdl-fm"), Layout).Prepared(8).Parameters;
        Assert.Equal([9, 3], wdlFm["wide.embedding"].Shape);
        Assert.Equal(ParameterRole.Embedding, wdlFm["wide.embedding"].Role);
        Assert.True(wdlFm["wide.embedding"].IsRowSparse);
        Assert.Equal([9, 3], wdlFm["embedding"].Shape);
        Assert.NotEqual(wdlFm["embedding"].Value, wdlFm["wide.embedding"].Value);
        Assert.Equal([3 * 3, 4], wdlFm["mlp.0.weight"].Shape);
    }

    [Fact]
    public void DcnV2CrossRankSelectsTheLowRankMixture()
    {
        CtrModel model = ModelRegistry.Create(Config("dcnv2") with { Options = new DcnV2Options { CrossLayers = 2, CrossRank = 2, CrossExperts = 3 } }, Layout).Prepared(8);
        ParameterSet p = model.Parameters;
        Assert.False(p.TryGet("cross.0.weight", out _));
        Assert.Equal([9, 2], p["cross.1.expert.2.v"].Shape);
        Assert.Equal([2, 9], p["cross.0.expert.0.u"].Shape);
        Assert.Equal([9, 3], p["cross.0.gate"].Shape);
        Assert.Equal([9, 1], p["cross.output.weight"].Shape);
    }

    [Fact]
    public void InvalidCrossSettingsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("dcn") with { Options = new CrossOptions { CrossLayers = 0 } }, Layout).Prepared(8));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("dcnv2") with { Options = new DcnV2Options { CrossRank = -1 } }, Layout).Prepared(8));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("dcnv2") with { Options = new DcnV2Options { CrossRank = 2, CrossExperts = 0 } }, Layout).Prepared(8));
    }

    [Theory]
    [InlineData(BilinearKind.FieldAll, 1)]
    [InlineData(BilinearKind.FieldEach, 2)]
    [InlineData(BilinearKind.FieldInteraction, 3)]
    public void FiBiNetBilinearTypeSetsTheMatricesAndSenetReductionTheBottleneck(BilinearKind kind, int matrices)
    {
        CtrModel model = ModelRegistry.Create(Config("fibinet") with { Options = new FiBiNetOptions { BilinearType = kind, SenetReduction = 2 } }, Layout).Prepared(8);
        ParameterSet p = model.Parameters;
        Assert.Equal([3, 1], p["senet.squeeze"].Shape);   // R = max(1, 3 / 2)
        Assert.Equal([1, 3], p["senet.excite"].Shape);
        Assert.Equal([matrices, 3, 3], p["bilinear.e.weight"].Shape);
        Assert.Equal([matrices, 3, 3], p["bilinear.v.weight"].Shape);
        Assert.Equal([2 * 3 * 3, 4], p["mlp.0.weight"].Shape); // [p ‖ q] = 2·P·D
    }

    [Fact]
    public void InvalidFiBiNetSettingsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("fibinet") with { Options = new FiBiNetOptions { SenetReduction = 0 } }, Layout).Prepared(8));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("fibinet") with { Options = new FiBiNetOptions { BilinearType = (BilinearKind)7 } }, Layout).Prepared(8));
    }

    [Fact]
    public void AutoIntLayersFollowTheAttentionSettings()
    {
        CtrModel model = ModelRegistry.Create(Config("autoint") with { Options = new AutoIntOptions { AttentionLayers = 3, AttentionHeads = 2, AttentionDim = 4 } }, Layout).Prepared(8);
        ParameterSet p = model.Parameters;
        Assert.Equal([3, 8], p["attention.0.query"].Shape);   // [D, K·d']
        Assert.Equal([8, 8], p["attention.2.residual"].Shape); // [K·d', K·d'] after the first layer
        Assert.Equal([24, 1], p["attention.output.weight"].Shape); // [F·K·d', 1]
        Assert.Equal(ParameterRole.DenseWeight, p["attention.1.value"].Role);
        Assert.False(p.TryGet("mlp.0.weight", out _));

        CtrModel plain = ModelRegistry.Create(Config("autoint") with { Options = new AutoIntOptions { AttentionLayers = 2, AttentionDim = 5, AttentionResidual = false } }, Layout).Prepared(8);
        Assert.False(plain.Parameters.TryGet("attention.0.residual", out _));
        Assert.True(plain.Parameters.TryGet("attention.0.value", out _));
    }

    [Fact]
    public void InvalidAttentionSettingsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("autoint") with { Options = new AutoIntOptions { AttentionLayers = 0 } }, Layout).Prepared(8));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("autoint+") with { Options = new AutoIntOptions { AttentionHeads = 0 } }, Layout).Prepared(8));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(Config("autoint") with { Options = new AutoIntOptions { AttentionDim = 0 } }, Layout).Prepared(8));
        // Another model's settings do not stick to a model: renaming drops them.
        Assert.IsType<AutoIntOptions>(Config("autoint").Options);
        Assert.Same(ModelOptions.None, (Config("autoint") with { Name = "deepfm" }).Options);
    }

    [Fact]
    public void PresetsCarryThePapersNumbers()
    {
        ModelConfig criteo = ModelPresets.Criteo();
        Assert.Equal((10, 0.5f), (criteo.EmbeddingDim, criteo.Dropout));
        Assert.Equal([400, 400, 400], criteo.HiddenUnits);
        Assert.Equal(11, ModelPresets.Criteo("wdl-fm").EmbeddingDim); // DeepFM paper Table III: FM & DNN at 11
        Assert.Equal(10, ModelPresets.Criteo("fnn").EmbeddingDim);    // the FM's k = 10; the FNN's fields are 11 wide
        ModelConfig avazu = ModelPresets.Avazu("deepfm");
        Assert.Equal(("deepfm", 20), (avazu.Name, avazu.EmbeddingDim));
        Assert.Equal([300, 300, 300], avazu.HiddenUnits);
    }

    [Theory]
    [MemberData(nameof(EveryModel))]
    public void UnitValuesEqualNoValuesAndValuesAreIgnoredWithoutHasValues(string name)
    {
        CtrModel model = ModelRegistry.Create(Config(name), Layout).Prepared(4);
        var batch = new Batch(4, 3) { Count = 4 };
        for (int i = 0; i < 12; i++)
        {
            batch.Ids[i] = Layout.Offsets[i % 3] + (i * 5) % Layout.Sizes[i % 3];
        }

        var withoutValues = new float[4];
        batch.Values.AsSpan().Fill(123f); // must not be read
        model.Forward(batch, withoutValues, training: false);

        batch.HasValues = true;
        batch.Values.AsSpan().Fill(1f);
        var unitValues = new float[4];
        model.Forward(batch, unitValues, training: false);
        Assert.Equal(withoutValues, unitValues);

        batch.Values[0] = 2f; // a non-unit value changes row 0 only
        var scaled = new float[4];
        model.Forward(batch, scaled, training: false);
        Assert.NotEqual(unitValues[0], scaled[0]);
        Assert.Equal(unitValues.AsSpan(1).ToArray(), scaled.AsSpan(1).ToArray());
    }

    [Fact]
    public void OversizedBatchIsRejectedWithBothSizes()
    {
        CtrModel model = ModelRegistry.Create(Config("fm"), Layout).Prepared(2);
        var batch = new Batch(4, 3) { Count = 3 };
        var ex = Assert.Throws<ArgumentException>(() => model.Forward(batch, new float[3], training: false));
        Assert.Contains("3 rows", ex.Message);
        Assert.Contains("maximum of 2", ex.Message);
    }

    [Fact]
    public void CriteoPresetDeepFwFMHasThePapersDnnAndFieldSizes()
    {
        // 39 fields; the DNN part is independent of the vocabulary: 390·400 + 2·400·400 + 400 weights, 3·400 + 1 biases.
        var layout = new FeatureLayout(Enumerable.Range(0, 39).Select(f => $"f{f}").ToArray(), Enumerable.Repeat(2, 39).ToArray());
        CtrModel model = ModelRegistry.Create(ModelPresets.Criteo(), layout).Prepared(1);
        long dnn = model.Parameters.Where(p => p.Name.StartsWith("mlp.", StringComparison.Ordinal)).Sum(p => (long)p.Length);
        Assert.Equal(390 * 400 + 2 * 400 * 400 + 400 + 3 * 400 + 1, dnn);
        Assert.Equal(741, model.Parameters["fwfm.r"].Length);
        Assert.Equal(390, model.Parameters["fwfm.v"].Length);
    }
}
