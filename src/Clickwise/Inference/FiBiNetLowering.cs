using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// Lowers FiBiNet's interaction half (see <see cref="FiBiNetModel"/>): the SENET re-weighting E → V, then the two
/// bilinear layers writing p and q side by side into the DNN input [B, 2·P·D]; the DNN lowers like every other
/// model's (dense or sparse per layer), and the first-order term and bias like LR's.
/// </summary>
internal static class FiBiNetLowering
{
    public static bool Handles(string name) => name is "fibinet";

    /// <summary>Adds the ops after the embedding gather; returns the DNN input's tape offset and width.</summary>
    public static (int Offset, int Width) Lower(ModelConfig config, int fieldCount, int embeddingOffset, Func<string, float[]> tensor,
                                                Func<int, int> allocate, List<IInferenceOp> ops, IGemm gemm)
    {
        int d = config.EmbeddingDim, width = fieldCount * d;
        int reduced = Math.Max(1, fieldCount / config.SenetReduction);
        int reweighted = allocate(width);
        ops.Add(new SqueezeExcitationOp(tensor($"{FiBiNetModel.SenetPrefix}.squeeze"), tensor($"{FiBiNetModel.SenetPrefix}.excite"),
            fieldCount, d, reduced, embeddingOffset, allocate(SqueezeExcitationOp.ScratchWidth(fieldCount, reduced)), reweighted, gemm));

        int interactionWidth = FieldPairs.Count(fieldCount) * d;
        int deepWidth = 2 * interactionWidth;
        int deepInput = allocate(deepWidth);
        int scratch = allocate(BilinearOp.ScratchWidth(fieldCount, d)); // the two layers run in turn on a block
        ops.Add(new BilinearOp(tensor($"{FiBiNetModel.BilinearEPrefix}.weight"), config.BilinearType, fieldCount, d, embeddingOffset,
            scratch, deepInput, deepWidth, 0, gemm, "e"));
        ops.Add(new BilinearOp(tensor($"{FiBiNetModel.BilinearVPrefix}.weight"), config.BilinearType, fieldCount, d, reweighted,
            scratch, deepInput, deepWidth, interactionWidth, gemm, "senet(e)"));
        return (deepInput, deepWidth);
    }
}
