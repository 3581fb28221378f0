using Clickwise.Data;
using Clickwise.Inference.Ops;
using Clickwise.Interchange;
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
    }

    /// <summary>Runs an exported model on a batch's rows: ids (and values) in, logits and probabilities out.</summary>
    internal static (float[] Logits, float[] Probabilities) OnnxRuntimeRun(byte[] onnx, Batch batch, bool withValues)
    {
        using var session = new InferenceSession(onnx);
        int n = batch.Count, f = batch.FieldCount;
        long[] ids = [.. batch.IdsInUse.ToArray().Select(i => (long)i)];
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, [n, f]);
        var inputs = new Dictionary<string, OrtValue> { [OnnxExport.IdsInput] = idsValue };
        using OrtValue? values = withValues ? OrtValue.CreateTensorValueFromMemory(batch.ValuesInUse.ToArray(), [n, f]) : null;
        if (values is not null)
        {
            inputs[OnnxExport.ValuesInput] = values;
        }

        Assert.Equal(inputs.Keys.Order(), session.InputNames.Order());
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(run, inputs, [OnnxExport.LogitsOutput, OnnxExport.ProbabilitiesOutput]);
        Assert.Equal([n, 1], outputs[0].GetTensorTypeAndShape().Shape);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
