using System.Reflection;
using Clickwise.Data.Readers;
using Clickwise.IO;
using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Interchange;

/// <summary>
/// ONNX export: the model's one description lowered by the planner as for serving, but dense (pruned weights export as
/// dense tensors, zeros included), unfused (AFM's compressed table keeps its per-field projection; low-rank DNN layers
/// export as their two factors) and with the trained weights kept; then every op of the plan writes itself as ONNX
/// nodes, in plan order (<see cref="OnnxGraph"/>). Every registered model's dense plan has an ONNX form; a model whose plan
/// holds an op without one (only the sparse planner's ops today, which a dense plan never has) is refused naming it.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set exported graphs use.</summary>
    public const int OpsetVersion = OnnxGraph.OpsetVersion;

    /// <summary>Names of the graph's inputs (ids INT64 [N, F], values FP32 [N, F]) and outputs (FP32 [N, 1]).</summary>
    public const string IdsInput = OnnxGraph.IdsInput, ValuesInput = OnnxGraph.ValuesInput,
        LogitsOutput = OnnxGraph.LogitsOutput, ProbabilitiesOutput = OnnxGraph.ProbabilitiesOutput;

    /// <summary>The serialised ONNX ModelProto of <paramref name="model"/>, with a values input when <paramref name="hasValues"/>.</summary>
    public static byte[] ToOnnx(CtrModel model, bool hasValues)
    {
        var plan = new PlanBuilder(model.Layout, ComputeContext.Default with { Threads = 1 }, sparse: false, PlanObjective.Speed, fuse: false,
            retainWeights: true);
        model.Lower(plan);
        return FromPlan(model.Config.Name, plan.Ops, plan.StartLogit, model.Layout.FieldCount, hasValues);
    }

    /// <summary>The graph of a plan's ops in order; an op without an ONNX form refuses the model, naming both.</summary>
    internal static byte[] FromPlan(string modelName, IReadOnlyList<IInferenceOp> ops, float startLogit, int fieldCount, bool hasValues)
    {
        var graph = new OnnxGraph(fieldCount, hasValues);
        foreach (IInferenceOp op in ops)
        {
            if (op is not IOnnxExportable exportable)
            {
                throw new OnnxExportException($"model '{modelName}' cannot be exported to ONNX: its plan op '{op.Describe()}' has no ONNX form here");
            }

            exportable.Export(graph);
        }

        return graph.ToModel(startLogit, Version);
    }

    /// <summary>The ONNX model of a saved model; it takes values when the model's data format carries them (libsvm, libffm).</summary>
    public static byte[] ToOnnx(ModelArtifact artifact) =>
        ToOnnx(ModelRegistry.Load(artifact.Config, artifact.FeatureMap.Layout, artifact.Tensors), CarriesValues(artifact));

    /// <summary>Whether rows of the model's data scale embeddings by values other than 1, so the graph takes a values input.</summary>
    public static bool CarriesValues(ModelArtifact artifact) => artifact.Input?.Format is DataFormat.Libsvm or DataFormat.Libffm;

    /// <summary>
    /// Writes the ONNX model to <paramref name="onnxPath"/> and its manifest (feature map and encoding rules) to
    /// <paramref name="manifestPath"/>, each atomically; nothing is written when the model cannot be exported.
    /// </summary>
    public static void Write(ModelArtifact artifact, string onnxPath, string manifestPath)
    {
        byte[] onnx = ToOnnx(artifact);
        byte[] manifest = OnnxManifest.ToJson(artifact, Path.GetFileName(onnxPath));
        OutputFile.WriteAllBytes(onnxPath, onnx);
        OutputFile.WriteAllBytes(manifestPath, manifest);
    }

    private static string Version =>
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
