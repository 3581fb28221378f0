using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Inference;

/// <summary>
/// The compiled plan must compute exactly the model's evaluation-mode forward: per model, with and without feature
/// values, on the batch-1 matrix-vector path, small batches, and batches larger than the tape (chunked).
/// </summary>
public sealed class CompiledModelTests
{
    public static TheoryData<string, bool> ModelsAndValues()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in ModelRegistry.Names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    [Theory]
    [InlineData(1, 4, 1)]
    [InlineData(2, 3, 4)]
    public void DcnV2LowRankMixtureMatchesForward(int layers, int experts, int rank)
    {
        var config = RandomModels.Config("dcnv2") with { Options = new DcnV2Options { CrossLayers = layers, CrossExperts = experts, CrossRank = rank } };
        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(40);
        var random = new Clickwise.Layers.SeededRandom(8);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        Assert.Contains(compiled.Describe(), d => d.StartsWith($"cross dcnv2 mixture M={experts} r={rank} L={layers}", StringComparison.Ordinal));
        foreach ((int rows, int tape) in new[] { (1, 1), (40, 40), (40, 16) })
        {
            Batch batch = RandomModels.Batch(rows, withValues: true, seed: rows + tape);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, Predict(compiled, batch, true, compiled.CreateTape(tape)), $"dcnv2 mixture batch {rows}");
        }
    }

    [Theory]
    [InlineData("autoint", 1, 1, 32, true)]   // the Vector512 kernel where the CPU has it
    [InlineData("autoint", 2, 2, 8, false)]   // Vector256: d' = 8
    [InlineData("autoint+", 2, 3, 3, true)]   // scalar: d' = 3
    [InlineData("autoint+", 3, 2, 16, false)]
    public void AutoIntShapesMatchForward(string name, int layers, int heads, int dim, bool residual)
    {
        var config = RandomModels.Config(name) with
        {
            Options = new AutoIntOptions { AttentionLayers = layers, AttentionHeads = heads, AttentionDim = dim, AttentionResidual = residual },
        };
        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(40);
        var random = new Clickwise.Layers.SeededRandom(8);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        Assert.Contains(compiled.Describe(), d => d.StartsWith($"self-attention L={layers} K={heads} d'={dim}", StringComparison.Ordinal));
        foreach ((int rows, int tape) in new[] { (1, 1), (40, 40), (40, 16) })
        {
            Batch batch = RandomModels.Batch(rows, withValues: true, seed: rows + tape);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, Predict(compiled, batch, true, compiled.CreateTape(tape)), $"{name} L={layers} K={heads} d'={dim} batch {rows}");
        }
    }

    [Theory]
    [InlineData(Clickwise.Layers.BilinearKind.FieldAll, 3)]
    [InlineData(Clickwise.Layers.BilinearKind.FieldEach, 2)]
    [InlineData(Clickwise.Layers.BilinearKind.FieldInteraction, 3)]
    public void FiBiNetBilinearTypesMatchForward(Clickwise.Layers.BilinearKind kind, int reduction)
    {
        var config = RandomModels.Config("fibinet") with { Options = new FiBiNetOptions { BilinearType = kind, SenetReduction = reduction } };
        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(300);
        var random = new Clickwise.Layers.SeededRandom(8);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        IReadOnlyList<string> plan = compiled.Describe();
        Assert.Contains(plan, d => d.StartsWith($"senet F=8 R={8 / reduction} D=5", StringComparison.Ordinal));
        Assert.Equal(2, plan.Count(d => d.StartsWith($"bilinear {kind} over", StringComparison.Ordinal)));
        Assert.Contains(plan, d => d.StartsWith("dense 280x13 relu", StringComparison.Ordinal)); // [p ‖ q] = 2·28·5 into the DNN
        foreach ((int rows, int tape) in new[] { (1, 1), (40, 40), (40, 16), (300, 300) })
        {
            Batch batch = RandomModels.Batch(rows, withValues: true, seed: rows + tape);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, Predict(compiled, batch, true, compiled.CreateTape(tape)), $"fibinet {kind} batch {rows}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void FiBiNetPredictionAllocatesNothing(int rows)
    {
        CtrModel model = RandomModels.Create("fibinet", maxBatchSize: rows);
        CompiledModel compiled = CompiledModel.Compile(model);
        Batch batch = RandomModels.Batch(rows, withValues: false);
        InferenceTape tape = compiled.CreateTape(rows);
        float[] logits = new float[rows];
        compiled.PredictLogits(batch.IdsInUse, default, rows, logits, tape);
        long before = GC.GetAllocatedBytesForCurrentThread();
        compiled.PredictLogits(batch.IdsInUse, default, rows, logits, tape);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void BatchOfOneMatchesForward(string name, bool withValues)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 1);
        CompiledModel compiled = CompiledModel.Compile(model);
        InferenceTape tape = compiled.CreateTape(1);
        Assert.Equal(1, tape.MaxBatchSize);
        for (int seed = 0; seed < 5; seed++)
        {
            Batch batch = RandomModels.Batch(1, withValues, seed);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            float[] actual = new float[1];
            compiled.PredictLogits(batch.IdsInUse, withValues ? batch.ValuesInUse : default, 1, actual, tape);
            RandomModels.AssertClose(expected, actual, $"{name} batch 1 seed {seed}");
            float probability = compiled.PredictProbability(batch.IdsInUse, withValues ? batch.ValuesInUse : default, tape);
            Assert.Equal(1.0 / (1.0 + Math.Exp(-expected[0])), probability, 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void BatchOfSevenMatchesForward(string name, bool withValues)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 7);
        CompiledModel compiled = CompiledModel.Compile(model);
        Batch batch = RandomModels.Batch(7, withValues);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        AssertSpread(expected, name);

        float[] whole = Predict(compiled, batch, withValues, compiled.CreateTape(7));
        RandomModels.AssertClose(expected, whole, $"{name} batch 7");

        // A tape of 3 rows runs chunks of 3, 3 and 1 (the last on the matrix-vector path).
        float[] chunked = Predict(compiled, batch, withValues, compiled.CreateTape(3));
        RandomModels.AssertClose(expected, chunked, $"{name} batch 7 in chunks of 3");
    }

    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void MultiHotBatchesMatchForward(string name, bool withValues)
    {
        const int Rows = 1000;
        (CtrModel model, CompiledModel compiled, Batch batch, float[] expected) =
            Planned(name, RandomModels.MultiHotBatch(Rows, withValues, seed: 5));
        // The extra features count: the same rows one-hot give other logits.
        float[] withoutExtras = RandomModels.ForwardLogits(model, RandomModels.Batch(Rows, withValues, seed: 5));
        Assert.True(expected.Zip(withoutExtras, (a, b) => MathF.Abs(a - b)).Max() > 0.05f, $"{name}: the extra features change nothing");

        float[] actual = new float[Rows];
        compiled.PredictLogits(batch, actual, compiled.CreateTape(Rows));
        RandomModels.AssertClose(expected, actual, $"{name} multi-hot batch {Rows}", CinTolerance(name, 2e-4f));

        // 1000 = 2·437 + 126 in chunks, and a batch of 7 through a tape of 3 (its last row on the matrix-vector path).
        compiled.PredictLogits(batch, actual, compiled.CreateTape(437));
        RandomModels.AssertClose(expected, actual, $"{name} multi-hot batch {Rows} through a 437-row tape", CinTolerance(name, 2e-4f));
        Batch small = RandomModels.MultiHotBatch(7, withValues, seed: 6);
        float[] smallExpected = RandomModels.ForwardLogits(model, small);
        float[] smallActual = new float[7];
        compiled.PredictLogits(small, smallActual, compiled.CreateTape(3));
        RandomModels.AssertClose(smallExpected, smallActual, $"{name} multi-hot batch 7 in chunks of 3", CinTolerance(name, 2e-4f));
    }

    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void LargeBatchThroughASmallerTapeMatchesForward(string name, bool withValues)
    {
        const int Rows = 3000;
        (_, CompiledModel compiled, Batch batch, float[] expected) = Planned(name, RandomModels.Batch(Rows, withValues, seed: 99));

        // 3000 = 6·437 + 378: full chunks and a ragged last one.
        float[] actual = Predict(compiled, batch, withValues, compiled.CreateTape(437));
        RandomModels.AssertClose(expected, actual, $"{name} batch {Rows} through a 437-row tape");
    }

    [Theory]
    [InlineData("deepfm", new[] { 4, 0, 5 }, true)]
    [InlineData("deepfm", new[] { 0, 4, 5 }, false)]
    [InlineData("deepfwfm", new[] { 2, 2, 2 }, true)]
    [InlineData("dcn", new[] { 0, 3, 0 }, true)]
    [InlineData("autoint+", new[] { 0, 6, 6 }, false)]
    public void LowRankDnnLayersMatchForward(string name, int[] ranks, bool innerRelu)
    {
        ModelConfig config = RandomModels.Config(name) with { HiddenUnits = [13, 7, 9], MlpRanks = ranks, MlpInnerRelu = innerRelu };
        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(40);
        Assert.Contains(model.Parameters, p => p.Name.EndsWith(".up.weight", StringComparison.Ordinal));
        AssertPerturbedPlanMatchesForward(model, seed: 9, $"{name} ranks [{string.Join(",", ranks)}]");
    }

    [Theory]
    [InlineData("fm", 2)]
    [InlineData("fwfm", 3)]
    [InlineData("deepfm", 1)]
    [InlineData("nfm", 5)]
    [InlineData("autoint+", 2)]
    [InlineData("fibinet", 4)]
    [InlineData("xdeepfm", 2)]
    [InlineData("wdl-fm", 2)]
    [InlineData("dcn", 3)]
    [InlineData("pnn", 2)]
    public void CompressedEmbeddingsMatchForward(string name, int rank)
    {
        CtrModel model = ModelRegistry.Create(RandomModels.Config(name) with { EmbeddingRank = rank }, RandomModels.Layout).Prepared(40);
        Assert.Equal([RandomModels.Layout.TotalRows, rank], model.Parameters.Single(p => p.Name == "embedding").Shape);
        AssertPerturbedPlanMatchesForward(model, seed: 10, $"{name} embedding rank {rank}");
    }

    [Theory]
    [InlineData("deepfm", 2)]
    [InlineData("deepfm", 8)] // every field a train: the table keeps only its placeholder row
    [InlineData("dcn", 3)]
    [InlineData("deepfwfm", 2)]
    [InlineData("xdeepfm", 1)]
    public void TensorTrainFieldsMatchForward(string name, int trainFields)
    {
        CtrModel model = ModelRegistry.Create(RandomModels.Config(name) with { EmbeddingTtRank = 3, EmbeddingTtFields = trainFields },
            RandomModels.Layout).Prepared(40);
        var trains = new TensorTrainFields(RandomModels.Layout, 5, 3, trainFields);
        Assert.Equal(RandomModels.Layout.TotalRows - trains.Fields.Sum(f => RandomModels.Layout.Sizes[f]) + 1, model.Parameters.Single(p => p.Name == "embedding").RowCount);
        var random = new Clickwise.Layers.SeededRandom(12);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        Assert.Contains(compiled.Describe(), d => d.StartsWith("tensor-train embedding gather", StringComparison.Ordinal));
        foreach ((int rows, int tape, bool multiHot) in new[] { (1, 1, false), (40, 40, false), (40, 16, false), (1, 1, true), (40, 16, true) })
        {
            foreach (bool withValues in new[] { false, true })
            {
                Batch batch = multiHot ? RandomModels.MultiHotBatch(rows, withValues, seed: rows + tape) : RandomModels.Batch(rows, withValues, seed: rows + tape);
                float[] expected = RandomModels.ForwardLogits(model, batch), actual = new float[rows];
                compiled.PredictLogits(batch, actual, compiled.CreateTape(tape));
                // The plan's CIN folds its pooled units into one vector (CinOp), summing in another order than training's
                // forward: up to 1.9e-5 measured here (a multi-hot row of batch 40).
                RandomModels.AssertClose(expected, actual, $"{name} {trainFields} trains batch {rows} values {withValues} multi-hot {multiHot}",
                    tolerance: CinTolerance(name, 1e-5f));
            }
        }
    }

    [Theory]
    [InlineData("deepfm", 3, QrOperation.Multiply)]
    [InlineData("deepfm", 8, QrOperation.Add)] // every field, and fields of 2..4 rows where m_f = V_f
    [InlineData("dcn", 2, QrOperation.Multiply)]
    [InlineData("fnn", 2, QrOperation.Multiply)] // serves a joined [w ‖ e] table expanded from the compact one
    [InlineData("ipnn", 1, QrOperation.Add)]
    [InlineData("xdeepfm", 2, QrOperation.Multiply)]
    public void QuotientRemainderFieldsMatchForward(string name, int fields, QrOperation operation)
    {
        CtrModel model = ModelRegistry.Create(
            RandomModels.Config(name) with { EmbeddingQrCollisions = 4, EmbeddingQrFields = fields, EmbeddingQrOperation = operation },
            RandomModels.Layout).Prepared(40);
        var qr = new QuotientRemainderFields(RandomModels.Layout, 4, fields, operation);
        Assert.Equal(qr.TableRows, model.Parameters.Single(p => p.Name == "embedding").RowCount);
        var random = new Clickwise.Layers.SeededRandom(12);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        Assert.Equal(name != "fnn", compiled.Describe().Any(d => d.StartsWith("quotient-remainder embedding gather", StringComparison.Ordinal)));
        foreach ((int rows, int tape) in new[] { (1, 1), (40, 40), (40, 16) })
        {
            foreach (bool withValues in new[] { false, true })
            {
                Batch batch = RandomModels.Batch(rows, withValues, seed: rows + tape);
                float[] expected = RandomModels.ForwardLogits(model, batch), actual = new float[rows];
                compiled.PredictLogits(batch, actual, compiled.CreateTape(tape));
                RandomModels.AssertClose(expected, actual, $"{name} {fields} qr fields batch {rows} values {withValues}", tolerance: CinTolerance(name, 1e-5f));
            }
        }

        Assert.Throws<NotSupportedException>(() => RandomModels.ForwardLogits(model, RandomModels.MultiHotBatch(4, false)));
    }

    [Theory]
    [InlineData("deepfm", 2, false)]
    [InlineData("deepfwfm", 1, false)]
    [InlineData("dnn", 2, false)]
    [InlineData("wdl", 3, false)]
    [InlineData("dcnv2", 2, false)]
    [InlineData("xdeepfm", 2, false)]
    [InlineData("autoint+", 2, false)]
    [InlineData("deepfm", 2, true)]          // a low-rank first layer: the fold goes into its down factor
    [InlineData("nfm", 2, false)]            // the DNN reads the bi-interaction vector: nothing to fuse, the same plan
    public void FusingTheProjectionIntoTheFirstLayerKeepsTheLogits(string name, int rank, bool lowRankFirstLayer)
    {
        ModelConfig config = RandomModels.Config(name) with { EmbeddingRank = rank };
        if (lowRankFirstLayer)
        {
            config = config with { MlpRanks = [4, 0] };
        }

        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(40);
        var random = new Clickwise.Layers.SeededRandom(21);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel fused = CompiledModel.Compile(model), unfused = CompiledModel.Compile(model, fuse: false);
        foreach (bool withValues in new[] { false, true })
        {
            Batch batch = RandomModels.Batch(40, withValues, seed: 22);
            RandomModels.AssertClose(Predict(unfused, batch, withValues, unfused.CreateTape(40)), Predict(fused, batch, withValues, fused.CreateTape(40)),
                $"{name} fused, values {withValues}", tolerance: 1e-5f);
        }

        bool fusable = name != "nfm";
        Assert.True(fusable ? fused.Bytes < unfused.Bytes : fused.Bytes == unfused.Bytes, $"{name}: {fused.Bytes} vs {unfused.Bytes} bytes");
    }

    [Theory]
    [InlineData("deepfm", new int[0])]      // the DNN is one linear layer straight into the logit
    [InlineData("deepfwfm", new int[0])]
    [InlineData("deepfwfm", new[] { 1 })]   // one hidden unit
    [InlineData("deepfm", new[] { 33, 17, 9 })]
    [InlineData("nfm", new int[0])]         // NFM-0: the projection h straight from the bi-interaction vector
    [InlineData("dnn", new[] { 1 })]
    [InlineData("wdl", new int[0])]
    [InlineData("pnn", new int[0])]
    [InlineData("opnn", new[] { 1 })]
    [InlineData("deepfm-p", new[] { 3 })]
    [InlineData("xdeepfm", new int[0])]
    [InlineData("fnn", new int[0])]
    [InlineData("wdl-fm", new[] { 1 })]
    public void UnusualDnnShapesMatchForward(string name, int[] hidden)
    {
        CtrModel model = ModelRegistry.Create(RandomModels.Config(name) with { HiddenUnits = hidden }, RandomModels.Layout).Prepared(40);
        AssertPerturbedPlanMatchesForward(model, seed: 8, $"{name} [{string.Join(",", hidden)}]");
    }

    /// <summary>Every parameter uniform in ±0.5, then the plan against the forward at batch 1, 40 and 40 through a 16-row tape.</summary>
    private static void AssertPerturbedPlanMatchesForward(CtrModel model, int seed, string label)
    {
        var random = new Clickwise.Layers.SeededRandom(seed);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        foreach ((int rows, int tape) in new[] { (1, 1), (40, 40), (40, 16) })
        {
            Batch batch = RandomModels.Batch(rows, withValues: true, seed: rows + tape);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, Predict(compiled, batch, true, compiled.CreateTape(tape)), $"{label} batch {rows}");
        }
    }

    [Theory]
    [InlineData(new[] { 7 }, false, "0")]          // one layer: everything pooled, folded
    [InlineData(new[] { 5, 3 }, false, "5x0")]     // odd sizes, every row fed on and pooled
    [InlineData(new[] { 2, 4, 6, 1 }, true, "1x2x3x0")]  // split-half: 1, 2, 3 rows fed on, the rest folded
    [InlineData(new[] { 100, 100, 50 }, true, "50x50x0")] // the paper's default; 60 rows are three groups of 24 samples
    public void CinShapesMatchForward(int[] cinLayers, bool splitHalf, string computed)
    {
        var config = RandomModels.Config("xdeepfm") with { Options = new XDeepFMOptions { CinLayers = cinLayers, CinSplitHalf = splitHalf } };
        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(60);
        var random = new Clickwise.Layers.SeededRandom(8);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        Assert.Contains(compiled.Describe(), d => d.StartsWith($"cin F=8 D=5 H={string.Join("x", cinLayers)}", StringComparison.Ordinal)
            && d.EndsWith($" computed={computed}", StringComparison.Ordinal));
        foreach ((int rows, int tape) in new[] { (1, 1), (60, 60), (60, 16) })
        {
            Batch batch = RandomModels.Batch(rows, withValues: true, seed: rows + tape);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, Predict(compiled, batch, true, compiled.CreateTape(tape)), $"xdeepfm CIN [{string.Join(",", cinLayers)}] batch {rows}");
        }
    }

    [Fact]
    public void CinPlanAllocatesNothingPerCall()
    {
        CtrModel model = RandomModels.Create("xdeepfm", maxBatchSize: 100);
        CompiledModel compiled = CompiledModel.Compile(model);
        foreach (int rows in new[] { 1, 100 }) // one request; a batch of five groups run inline on this thread
        {
            Batch batch = RandomModels.Batch(rows, withValues: true, seed: rows);
            InferenceTape tape = compiled.CreateTape(rows);
            float[] logits = new float[rows];
            // Two warm-up calls: the first sizes this thread's scratch, and both leave one-time runtime work behind.
            compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, rows, logits, tape);
            compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, rows, logits, tape);
            long before = GC.GetAllocatedBytesForCurrentThread();
            compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, rows, logits, tape);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    [Fact]
    public void ValuesChangeTheResult()
    {
        // Guards the tests above: if values were ignored, the with/without cases would test the same thing.
        CtrModel model = RandomModels.Create("deepfwfm", maxBatchSize: 7);
        CompiledModel compiled = CompiledModel.Compile(model);
        Batch batch = RandomModels.Batch(7, withValues: true);
        float[] weighted = Predict(compiled, batch, withValues: true, compiled.CreateTape(7));
        float[] plain = Predict(compiled, batch, withValues: false, compiled.CreateTape(7));
        Assert.True(weighted.Zip(plain).Max(p => MathF.Abs(p.First - p.Second)) > 1e-2f);
    }

    [Theory]
    [InlineData("fwfm", 22, "sparse")]  // 6 of 28 pairs survive: 6·4 ≤ 28
    [InlineData("deepfwfm", 22, "sparse")]
    [InlineData("fwfm", 28, "sparse")]  // everything pruned: the pair term is zero
    [InlineData("fwfm", 10, "dense")]   // 18 of 28 survive
    [InlineData("deepfwfm", 10, "dense")]
    public void PrunedPairWeightsGiveTheSameLogits(string name, int zeroed, string form)
    {
        const int Rows = 64;
        CtrModel model = RandomModels.Create(name, maxBatchSize: Rows);
        float[] r = model.Parameters["fwfm.r"].Value;
        Assert.Equal(28, r.Length);
        var random = new Random(5);
        foreach (int p in Enumerable.Range(0, r.Length).OrderBy(_ => random.Next()).Take(zeroed))
        {
            r[p] = 0f;
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        string pairs = Assert.Single(compiled.Describe(), d => d.StartsWith("fwfm pairs", StringComparison.Ordinal));
        Assert.StartsWith($"fwfm pairs {form} {28 - zeroed} of 28", pairs);

        foreach (bool withValues in new[] { false, true })
        {
            Batch batch = RandomModels.Batch(Rows, withValues, seed: zeroed);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            RandomModels.AssertClose(expected, Predict(compiled, batch, withValues, compiled.CreateTape(Rows)), $"{name} {form} batch {Rows}");
            Batch one = RandomModels.Batch(1, withValues, seed: zeroed + 1);
            float[] single = RandomModels.ForwardLogits(model, one);
            RandomModels.AssertClose(single, Predict(compiled, one, withValues, compiled.CreateTape(1)), $"{name} {form} batch 1");
        }
    }

    [Fact]
    public void SparseAndDenseFormsAgreeOnTheSameWeights()
    {
        // 7 of 28 survive: exactly the boundary (7·4 = 28 is not > 28), so the compiler picks the sparse form.
        CtrModel model = RandomModels.Create("fwfm", maxBatchSize: 50);
        float[] r = model.Parameters["fwfm.r"].Value;
        for (int p = 0; p < r.Length; p++)
        {
            if (p % 4 != 0)
            {
                r[p] = 0f;
            }
        }

        CompiledModel sparse = CompiledModel.Compile(model);
        Assert.Contains(sparse.Describe(), d => d.StartsWith("fwfm pairs sparse 7 of 28", StringComparison.Ordinal));
        r[1] = 1e-3f; // one more survivor flips it to dense
        CompiledModel dense = CompiledModel.Compile(model);
        Assert.Contains(dense.Describe(), d => d.StartsWith("fwfm pairs dense 8 of 28", StringComparison.Ordinal));
        Batch batch = RandomModels.Batch(50, withValues: true);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        RandomModels.AssertClose(expected, Predict(dense, batch, true, dense.CreateTape(50)), "dense");
        r[1] = 0f;
        expected = RandomModels.ForwardLogits(model, batch);
        RandomModels.AssertClose(expected, Predict(sparse, batch, true, sparse.CreateTape(50)), "sparse");
    }

    [Fact]
    public void TwoThreadsWithTheirOwnTapesGetIdenticalResults()
    {
        const int Rows = 300;
        CtrModel model = RandomModels.Create("deepfwfm", maxBatchSize: Rows);
        CompiledModel compiled = CompiledModel.Compile(model);
        Batch[] batches = [RandomModels.Batch(Rows, false, seed: 1), RandomModels.Batch(Rows, true, seed: 2)];
        float[][] expected = [.. batches.Select((b, i) => Predict(compiled, b, i == 1, compiled.CreateTape(Rows)))];
        float[][] expectedSingles = [.. batches.Select((b, i) => SingleRows(compiled, b, i == 1, compiled.CreateTape(1)))];

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(2);
        Thread[] threads = [.. Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            InferenceTape tape = compiled.CreateTape(Rows);
            InferenceTape single = compiled.CreateTape(1);
            start.SignalAndWait();
            for (int round = 0; round < 40; round++)
            {
                int which = (t + round) % 2;
                float[] got = Predict(compiled, batches[which], which == 1, tape);
                if (!got.AsSpan().SequenceEqual(expected[which]))
                {
                    failures.Add($"thread {t} round {round}: batch {which} differs");
                }

                if (round % 8 == 0 && !SingleRows(compiled, batches[which], which == 1, single).AsSpan().SequenceEqual(expectedSingles[which]))
                {
                    failures.Add($"thread {t} round {round}: batch-1 rows of batch {which} differ");
                }
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("deepfwfm")]
    [InlineData("dcnv2")]
    [InlineData("gdcn")]
    [InlineData("xdeepfm")]
    [InlineData("fibinet")]
    [InlineData("autoint+")]
    public void OneAndTwoComputeThreadsGiveTheSameBits(string name)
    {
        // 1000 rows in blocks of at most 264, split as [0, 1000) or [0, 500) + [500, 1000): the block boundaries, and so
        // each row's position in the GEMM's row tiles, differ between the two runs.
        const int Rows = 1000;
        CtrModel model = RandomModels.Create(name, maxBatchSize: Rows);
        // Three plans of one model live side by side, each with its own context; their calls interleave.
        CompiledModel one = CompiledModel.Compile(model, ComputeContext.Default with { Threads = 1 });
        CompiledModel two = CompiledModel.Compile(model, ComputeContext.Default with { Threads = 2 });
        CompiledModel smallBlocks = two.WithRowSplit(threads: 2, blockRows: 36);
        Batch batch = RandomModels.Batch(Rows, withValues: true, seed: 5);
        float[] fromOne = [], fromTwo = [], fromSmallBlocks = [];
        for (int round = 0; round < 2; round++)
        {
            fromOne = Predict(one, batch, withValues: true, one.CreateTape(Rows));
            fromTwo = Predict(two, batch, withValues: true, two.CreateTape(Rows));
            fromSmallBlocks = Predict(smallBlocks, batch, withValues: true, smallBlocks.CreateTape(Rows));
        }

        Assert.Equal(1, one.Compute.Threads);
        Assert.Equal(36, smallBlocks.Compute.InferenceBlockRows);
        Assert.Equal(fromOne, fromTwo);
        Assert.Equal(fromOne, fromSmallBlocks);
        RandomModels.AssertClose(RandomModels.ForwardLogits(model, batch), fromOne, $"{name} batch 1000");
    }

    [Fact]
    public void ATapeFromAnotherPlanIsRejected()
    {
        CompiledModel lr = CompiledModel.Compile(RandomModels.Create("lr", 4));
        CompiledModel deep = CompiledModel.Compile(RandomModels.Create("deepfwfm", 4));
        Batch batch = RandomModels.Batch(4, false);
        var error = Assert.Throws<ArgumentException>(() => Predict(deep, batch, false, lr.CreateTape(4)));
        Assert.Contains("tape", error.Message);
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        CompiledModel compiled = CompiledModel.Compile(RandomModels.Create("fm", 4));
        Batch batch = RandomModels.Batch(4, false);
        InferenceTape tape = compiled.CreateTape(4);
        Assert.Throws<ArgumentException>(() => compiled.PredictLogits(batch.IdsInUse[..^1], default, 4, new float[4], tape));
        Assert.Throws<ArgumentException>(() => compiled.PredictLogits(batch.IdsInUse, default, 4, new float[3], tape));
        Assert.Throws<ArgumentException>(() => compiled.PredictLogits(batch.IdsInUse, new float[5], 4, new float[4], tape));
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        CtrModel model = RandomModels.Create("deepfm", 2);
        var tensors = model.Parameters.Where(p => p.Name != "mlp.1.bias").ToDictionary(p => p.Name, p => p.Value);
        var error = Assert.Throws<InvalidDataException>(() => CompiledModel.Compile(model.Config, model.Layout, tensors));
        Assert.Contains("mlp.1.bias", error.Message);
    }

    [Fact]
    public void ParameterCountMatchesTheModel()
    {
        foreach (string name in ModelRegistry.Names)
        {
            CtrModel model = RandomModels.Create(name, 2);
            // FinalMLP's constant feature-selection gates are folded into their streams' first weights: the plan holds none of them.
            long folded = model is FinalMlpModel ? model.Parameters.Where(p => p.Name.StartsWith("fs", StringComparison.Ordinal)).Sum(p => (long)p.Length) : 0;
            Assert.Equal(model.Parameters.TotalLength - folded, CompiledModel.Compile(model).ParameterCount);
        }
    }

    /// <summary>A random model for the batch, its plan, and its training forward's logits (checked to vary).</summary>
    private static (CtrModel Model, CompiledModel Compiled, Batch Batch, float[] Expected) Planned(string name, Batch batch)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: batch.Count);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        AssertSpread(expected, name);
        return (model, CompiledModel.Compile(model), batch, expected);
    }

    private static float[] Predict(CompiledModel compiled, Batch batch, bool withValues, InferenceTape tape)
    {
        float[] logits = new float[batch.Count];
        compiled.PredictLogits(batch.IdsInUse, withValues ? batch.ValuesInUse : default, batch.Count, logits, tape);
        return logits;
    }

    private static float[] SingleRows(CompiledModel compiled, Batch batch, bool withValues, InferenceTape tape)
    {
        int f = batch.FieldCount;
        float[] logits = new float[batch.Count];
        for (int b = 0; b < batch.Count; b++)
        {
            compiled.PredictLogits(batch.IdsInUse.Slice(b * f, f), withValues ? batch.ValuesInUse.Slice(b * f, f) : default, 1,
                logits.AsSpan(b, 1), tape);
        }

        return logits;
    }

    private static void AssertSpread(float[] logits, string name) =>
        Assert.True(logits.Max() - logits.Min() > 0.2f, $"{name}: logits barely vary ({logits.Min()}..{logits.Max()}); the test would be weak");

    /// <summary>
    /// xDeepFM's plan folds the CIN units it only pools into one vector over Z ((Σ_d Z)·W·w instead of Σ_d Σ_h w_h·(Z·W)_h),
    /// exact in algebra but summed in another order than the training forward; on random weights with multi-hot values the
    /// two roundings differed by up to 1.9e-5 where the others' check is 1e-5, and by 2.4e-4 where it is 2e-4 (both with
    /// 256-bit vectors or none), so its checks allow 5× the others' tolerance.
    /// </summary>
    private static float CinTolerance(string name, float tolerance) => name == "xdeepfm" ? 5 * tolerance : tolerance;
}
