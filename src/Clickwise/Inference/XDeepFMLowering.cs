using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// Lowers xDeepFM's CIN (see <see cref="XDeepFMModel"/>) to one <see cref="CinOp"/> over the embedding region; its
/// first-order term and DNN lower like every other model's. Pruned filters run dense (the CIN's GEMMs gain nothing
/// from CSR at the sparsities DeepLight reaches), so a pruned plan still equals the eval forward.
/// </summary>
internal static class XDeepFMLowering
{
    public static bool Handles(string modelName) => modelName is "xdeepfm";

    public static IInferenceOp Lower(ModelConfig config, int fieldCount, int embeddingOffset, Func<string, float[]> tensor, IGemm gemm)
    {
        int count = config.CinLayers.Length;
        float[][] weights = [.. Enumerable.Range(0, count).Select(k => tensor($"cin.{k}.weight"))];
        float[][] biases = [.. Enumerable.Range(0, count).Select(k => tensor($"cin.{k}.bias"))];
        return new CinOp(weights, biases, tensor("cin.output.weight"), fieldCount, config.EmbeddingDim, config.CinLayers,
            config.CinSplitHalf, embeddingOffset, gemm);
    }
}
