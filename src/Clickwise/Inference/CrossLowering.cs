using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// Lowers the cross half of the cross + deep models (dcn, dcnv2, gdcn; see <see cref="CrossDeepModel"/>) to one
/// <see cref="CrossNetworkOp"/> over the embedding region; their DNN half lowers like every other model's DNN.
/// </summary>
internal static class CrossLowering
{
    public static bool Handles(string modelName) => modelName is "dcn" or "dcnv2" or "gdcn";

    public static IInferenceOp Lower(ModelConfig config, int width, int x0Offset, Func<string, float[]> tensor, Func<int, int> allocate,
                                     IGemm gemm)
    {
        var layers = new ICrossInferenceLayer[config.CrossLayers];
        for (int l = 0; l < layers.Length; l++)
        {
            string p = $"cross.{l}";
            layers[l] = config.Name switch
            {
                "dcn" => new DcnInferenceLayer(tensor($"{p}.weight"), tensor($"{p}.bias")),
                "dcnv2" when config.CrossRank > 0 => new DcnV2MixtureInferenceLayer(tensor($"{p}.gate"),
                    Experts(config, i => tensor($"{p}.expert.{i}.v")), Experts(config, i => tensor($"{p}.expert.{i}.c")),
                    Experts(config, i => tensor($"{p}.expert.{i}.u")), tensor($"{p}.bias"), gemm),
                "dcnv2" => new DcnV2InferenceLayer(tensor($"{p}.weight"), tensor($"{p}.bias"), gemm),
                "gdcn" => new GatedCrossInferenceLayer(tensor($"{p}.weight"), tensor($"{p}.bias"), tensor($"{p}.gate"), gemm),
                _ => throw new InvalidDataException($"model '{config.Name}' has no cross network"),
            };
        }

        int scratch = layers.Max(l => l.ScratchWidth);
        string kind = config.Name == "dcnv2" && config.CrossRank > 0
            ? $"dcnv2 mixture M={config.CrossExperts} r={config.CrossRank}"
            : config.Name;
        return new CrossNetworkOp(layers, tensor("cross.output.weight"), width, x0Offset, allocate(width), allocate(width),
            allocate(scratch), scratch, kind);
    }

    private static float[][] Experts(ModelConfig config, Func<int, float[]> tensor) =>
        [.. Enumerable.Range(0, config.CrossExperts).Select(tensor)];
}
