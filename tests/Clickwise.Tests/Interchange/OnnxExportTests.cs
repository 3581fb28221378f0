using Clickwise.Data;
using Clickwise.Inference.Ops;
using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Tests.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Clickwise.Tests.Interchange;

/// <summary>
/// Every registered model that exports runs in ONNX Runtime and gives the logits and probabilities of Clickwise's own
/// forward to 1e-5 (relative to max(1, |logit|)), with and without feature values; a plan op without an ONNX form is refused
/// naming the model and the op, as exit 2.
/// </summary>
public sealed class OnnxExportTests
{
    public static TheoryData<string, bool> ModelsAndValues() => CompiledModelTests.ModelsAndValues();

    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void ExportedModelMatchesForwardInOnnxRuntime(string name, bool withValues)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 16);
        Batch batch = RandomModels.Batch(16, withValues, seed: 5);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        (float[] logits, float[] probabilities) = OnnxRuntimeRun(OnnxExport.ToOnnx(model, withValues), batch, withValues);
        RandomModels.AssertClose(expected, logits, $"{name} in ONNX Runtime", tolerance: 1e-5f);
        RandomModels.AssertClose([.. expected.Select(l => 1f / (1f + MathF.Exp(-l)))], probabilities, $"{name} probabilities", tolerance: 1e-5f);
    }

    /// <summary>
    /// Multi-hot fields (libsvm/libffm): the graph takes ids and values [N, F, K], each field's features padded to K with
    /// value 0, and pools them as Clickwise does, sum or (values pre-divided) mean.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void MultiHotRowsMatchForwardInOnnxRuntime(string name, bool withValues)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 16);
        Batch batch = RandomModels.MultiHotBatch(16, withValues, seed: 8);
        Assert.False(batch.Extras.InUse.IsEmpty);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        (float[] logits, _) = OnnxRuntimeRun(OnnxExport.ToOnnx(model, hasValues: true), batch, withValues: true);
        RandomModels.AssertClose(expected, logits, $"multi-hot {name} in ONNX Runtime", tolerance: 1e-5f);
    }

    /// <summary>An op without an ONNX form (here a sparse planner's, which dense export plans never hold) refuses the model: exit 2.</summary>
    [Fact]
    public void PlanOpWithoutAnOnnxFormIsRefused()
    {
        IInferenceOp sparseOnly = new BatchSizeSwitchOp([], []);
        var refused = Assert.Throws<OnnxExportException>(() => OnnxExport.FromPlan("pruned", [sparseOnly], 0f, 8, hasValues: false));
        Assert.Equal($"model 'pruned' cannot be exported to ONNX: its plan op '{sparseOnly.Describe()}' has no ONNX form here", refused.Message);
        Assert.Equal((2, refused.Message), Clickwise.Cli.VerbRunner.Describe(refused));
    }

    /// <summary>Compressed forms export as their factors (low-rank layers, AFM's per-field projection, DCNv2's mixture) or densely (tensor trains).</summary>
    [Theory]
    [InlineData("deepfm", "mlp_ranks")]
    [InlineData("deepfwfm", "embedding_rank")]
    [InlineData("xdeepfm", "embedding_tt_rank")]
    [InlineData("deepfm", "embedding_tt_rank")]
    [InlineData("dcn", "embedding_qr_collisions")]
    [InlineData("dcnv2", "cross_rank")]
    public void CompressedFormsMatchForwardInOnnxRuntime(string name, string form)
    {
        ModelConfig config = RandomModels.Config(name);
        config = form switch
        {
            "mlp_ranks" => config with { HiddenUnits = [13, 7, 9], MlpRanks = [4, 0, 5] },
            "embedding_rank" => config with { EmbeddingRank = 2 },
            "embedding_tt_rank" => config with { EmbeddingTtRank = 3, EmbeddingTtFields = 3 },
            "embedding_qr_collisions" => config with { EmbeddingQrCollisions = 3, EmbeddingQrFields = 3 },
            _ => config with { Options = new DcnV2Options { CrossLayers = 2, CrossExperts = 3, CrossRank = 2 } },
        };
        AssertOnnxRuntimeMatchesForward(RandomModels.Perturbed(config, seed: 4), $"{name} {form}");
    }

    /// <summary>A pruned model exports densely: its zeros are ordinary weights of the dense graph.</summary>
    [Theory]
    [InlineData("deepfwfm")]
    [InlineData("deepfm")]
    public void PrunedModelExportsDensely(string name)
    {
        CtrModel model = RandomModels.Perturbed(RandomModels.Config(name), seed: 6);
        foreach (Parameter p in model.Parameters.Where(p => p.Name is "embedding" or "fwfm.r" || p.Name.EndsWith(".weight", StringComparison.Ordinal)))
        {
            for (int i = 0; i < p.Value.Length; i += 3)
            {
                p.Value[i] = 0f;
            }
        }

        AssertOnnxRuntimeMatchesForward(model, $"pruned {name}");
    }

    private static void AssertOnnxRuntimeMatchesForward(CtrModel model, string what)
    {
        foreach (bool withValues in new[] { false, true })
        {
            Batch batch = RandomModels.Batch(16, withValues, seed: 9);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            (float[] logits, _) = OnnxRuntimeRun(OnnxExport.ToOnnx(model, withValues), batch, withValues);
            RandomModels.AssertClose(expected, logits, $"{what}{(withValues ? " with values" : "")} in ONNX Runtime", tolerance: 1e-5f);
        }

        if (model.Config.EmbeddingQrCollisions > 0)
        {
            return; // quotient-remainder fields take one feature per field (QuotientRemainderFieldsTests: a multi-hot batch is refused)
        }

        Batch multiHot = RandomModels.MultiHotBatch(16, withValues: true, seed: 9);
        (float[] pooled, _) = OnnxRuntimeRun(OnnxExport.ToOnnx(model, hasValues: true), multiHot, withValues: true);
        RandomModels.AssertClose(RandomModels.ForwardLogits(model, multiHot), pooled, $"{what} multi-hot in ONNX Runtime", tolerance: 1e-5f);
    }

    /// <summary>
    /// Runs an exported model on a batch's rows: ids [N, F] in, or with values ids and values [N, F, K] (the batch's extra
    /// features after each first one, padded with the first id and value 0); logits and probabilities out.
    /// </summary>
    internal static (float[] Logits, float[] Probabilities) OnnxRuntimeRun(byte[] onnx, Batch batch, bool withValues)
    {
        using var session = new InferenceSession(onnx);
        return OnnxRuntimeRun(session, batch, withValues);
    }

    /// <summary><see cref="OnnxRuntimeRun(byte[], Batch, bool)"/> in a session already open (e.g. from a file with external data).</summary>
    internal static (float[] Logits, float[] Probabilities) OnnxRuntimeRun(InferenceSession session, Batch batch, bool withValues)
    {
        int n = batch.Count, f = batch.FieldCount;
        if (!withValues)
        {
            long[] oneHot = [.. batch.IdsInUse.ToArray().Select(i => (long)i)];
            using OrtValue idsOnly = OrtValue.CreateTensorValueFromMemory(oneHot, [n, f]);
            return Run(session, new Dictionary<string, OrtValue> { [OnnxExport.IdsInput] = idsOnly }, n);
        }

        (long[] ids, float[] values, int k) = Padded(batch);
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, [n, f, k]);
        using OrtValue valuesValue = OrtValue.CreateTensorValueFromMemory(values, [n, f, k]);
        return Run(session, new Dictionary<string, OrtValue> { [OnnxExport.IdsInput] = idsValue, [OnnxExport.ValuesInput] = valuesValue }, n);
    }

    /// <summary>Every (row, field) lookup's features as K slots: the first, then its extras in order, then padding.</summary>
    private static (long[] Ids, float[] Values, int K) Padded(Batch batch)
    {
        int lookups = batch.Count * batch.FieldCount;
        ExtraLookups extras = batch.Extras.InUse;
        int k = 1;
        for (int i = 0; !extras.IsEmpty && i < lookups; i++)
        {
            k = Math.Max(k, 1 + extras.Offsets[i + 1] - extras.Offsets[i]);
        }

        long[] ids = new long[lookups * k];
        float[] values = new float[lookups * k];
        for (int i = 0; i < lookups; i++)
        {
            ids.AsSpan(i * k, k).Fill(batch.Ids[i]);
            values[i * k] = batch.HasValues ? batch.Values[i] : 1f;
            for (int e = extras.IsEmpty ? 0 : extras.Offsets[i], slot = 1; !extras.IsEmpty && e < extras.Offsets[i + 1]; e++, slot++)
            {
                ids[i * k + slot] = extras.Ids[e];
                values[i * k + slot] = extras.Values[e];
            }
        }

        return (ids, values, k);
    }

    private static (float[] Logits, float[] Probabilities) Run(InferenceSession session, Dictionary<string, OrtValue> inputs, int n)
    {
        Assert.Equal(inputs.Keys.Order(), session.InputNames.Order());
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(run, inputs, [OnnxExport.LogitsOutput, OnnxExport.ProbabilitiesOutput]);
        Assert.Equal([n, 1], outputs[0].GetTensorTypeAndShape().Shape);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
