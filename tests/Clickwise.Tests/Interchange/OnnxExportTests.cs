using Clickwise.Data;
using Clickwise.Interchange;
using Clickwise.Models;
using Clickwise.Tests.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Clickwise.Tests.Interchange;

/// <summary>
/// Every registered model that exports runs in ONNX Runtime and gives the logits and probabilities of Clickwise's own
/// forward to 1e-5 (relative to max(1, |logit|)), with and without feature values; the others are refused naming the op.
/// </summary>
public sealed class OnnxExportTests
{
    /// <summary>Models whose plans hold an op without an ONNX form; any other model must export.</summary>
    private static readonly HashSet<string> NotExportable = ["ffm", "pnn", "opnn", "deepfm-p", "deepfm-op", "fibinet", "autoint", "autoint+", "finalmlp"];

    public static TheoryData<string, bool> ModelsAndValues() => CompiledModelTests.ModelsAndValues();

    [Theory]
    [MemberData(nameof(ModelsAndValues))]
    public void ExportedModelMatchesForwardInOnnxRuntime(string name, bool withValues)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 16);
        if (NotExportable.Contains(name))
        {
            var refused = Assert.Throws<OnnxExportException>(() => OnnxExport.ToOnnx(model, withValues));
            Assert.Contains($"model '{name}' cannot be exported to ONNX", refused.Message);
            return;
        }

        Batch batch = RandomModels.Batch(16, withValues, seed: 5);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        (float[] logits, float[] probabilities) = OnnxRuntimeRun(OnnxExport.ToOnnx(model, withValues), batch, withValues);
        RandomModels.AssertClose(expected, logits, $"{name} in ONNX Runtime", tolerance: 1e-5f);
        RandomModels.AssertClose([.. expected.Select(l => 1f / (1f + MathF.Exp(-l)))], probabilities, $"{name} probabilities", tolerance: 1e-5f);
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
