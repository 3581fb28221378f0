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

    /// <summary>
    /// Initializer bytes past which <see cref="Write"/> puts the large ones in a data file beside the model: below protobuf's
    /// 2 GiB message limit with room for the rest of the graph.
    /// </summary>
    public const long DefaultExternalDataAbove = 1L << 30;

    /// <summary>The serialised ONNX ModelProto of <paramref name="model"/>, with a values input when <paramref name="hasValues"/>.</summary>
    public static byte[] ToOnnx(CtrModel model, bool hasValues) => Graph(model, hasValues).ToModel(Version, external: null);

    /// <summary>The ONNX model of a saved model; it takes values when the model's data format carries them (libsvm, libffm).</summary>
    public static byte[] ToOnnx(ModelArtifact artifact) => Graph(artifact).ToModel(Version, external: null);

    /// <summary>The graph of a plan's ops in order; an op without an ONNX form refuses the model, naming both.</summary>
    internal static OnnxGraph FromPlan(string modelName, IReadOnlyList<IInferenceOp> ops, float startLogit, int fieldCount, bool hasValues)
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

        graph.Finish(startLogit);
        return graph;
    }

    /// <summary>Whether rows of the model's data scale embeddings by values other than 1, so the graph takes a values input.</summary>
    public static bool CarriesValues(ModelArtifact artifact) => artifact.Input?.Format is DataFormat.Libsvm or DataFormat.Libffm;

    /// <summary>The external data file of an ONNX file: <c>model.onnx.data</c> beside <c>model.onnx</c>.</summary>
    public static string ExternalDataPath(string onnxPath) => onnxPath + ".data";

    /// <summary>
    /// Writes the ONNX model to <paramref name="onnxPath"/> and its manifest (feature map and encoding rules) to
    /// <paramref name="manifestPath"/>, each atomically; nothing is written when the model cannot be exported. When the
    /// initializers exceed <paramref name="externalDataAbove"/> bytes, the large ones go to <see cref="ExternalDataPath"/>,
    /// committed just before the model that points at it (both written first, so a failure commits neither). Returns
    /// whether the external data file was written.
    /// </summary>
    public static bool Write(ModelArtifact artifact, string onnxPath, string manifestPath, long externalDataAbove = DefaultExternalDataAbove)
    {
        OnnxGraph graph = Graph(artifact);
        bool external = graph.InitializerBytes > externalDataAbove;
        string dataPath = ExternalDataPath(onnxPath);
        byte[] manifest = OnnxManifest.ToJson(artifact, Path.GetFileName(onnxPath), external ? Path.GetFileName(dataPath) : null);
        OutputFile.Write(onnxPath, onnx => onnx.Write(external
            ? OutputFile.Write(dataPath, data => graph.ToModel(Version, new OnnxExternalData(data, Path.GetFileName(dataPath))))
            : graph.ToModel(Version, external: null)));
        OutputFile.WriteAllBytes(manifestPath, manifest);
        return external;
    }

    private static OnnxGraph Graph(ModelArtifact artifact) =>
        Graph(ModelRegistry.Load(artifact.Config, artifact.FeatureMap.Layout, artifact.Tensors), CarriesValues(artifact));

    private static OnnxGraph Graph(CtrModel model, bool hasValues)
    {
        var plan = new PlanBuilder(model.Layout, ComputeContext.Default with { Threads = 1 }, sparse: false, PlanObjective.Speed, fuse: false,
            retainWeights: true);
        model.Lower(plan);
        return FromPlan(model.Config.Name, plan.Ops, plan.StartLogit, model.Layout.FieldCount, hasValues);
    }

    private static string Version =>
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
