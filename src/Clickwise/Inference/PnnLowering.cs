using Clickwise.Inference.Ops;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>Lowers a PNN's product layer: the DNN input [e ‖ inner products ‖ outer-product signals] on the tape.</summary>
internal static class PnnLowering
{
    public static bool Handles(string name) => name is "ipnn" or "opnn" or "pnn" or "deepfm-ip" or "deepfm-op" or "deepfm-p";

    /// <summary>DeepFM-IP/OP/*P: the first-order and FM terms on top of the product DNN.</summary>
    public static bool HasFM(string name) => name is "deepfm-ip" or "deepfm-op" or "deepfm-p";

    /// <summary>Adds the product ops after the embedding gather; returns the DNN input's tape offset and width.</summary>
    public static (int Offset, int Width) Lower(string name, int fieldCount, int dim, int embeddingOffset,
                                                Func<string, float[]> tensor, Func<int, int> allocate, List<IInferenceOp> ops)
    {
        bool inner = name is "ipnn" or "pnn" or "deepfm-ip" or "deepfm-p";
        bool outer = name is "opnn" or "pnn" or "deepfm-op" or "deepfm-p";
        int embeddingWidth = fieldCount * dim;
        int innerCount = inner ? FieldPairs.Count(fieldCount) : 0;
        int kernelCount = outer ? ProductPart.KernelsFor(fieldCount) : 0;
        int width = embeddingWidth + innerCount + kernelCount;
        int offset = allocate(width);
        ops.Add(new CopyColumnsOp(embeddingOffset, embeddingWidth, offset, width));
        if (inner)
        {
            ops.Add(new InnerProductOp(fieldCount, dim, embeddingOffset, offset, width, embeddingWidth));
        }

        if (outer)
        {
            float[] kernels = tensor(ProductPart.KernelsName);
            if (kernels.Length != dim * kernelCount * dim)
            {
                throw new InvalidDataException($"'{ProductPart.KernelsName}' has {kernels.Length} values, expected {dim}x{kernelCount}x{dim}");
            }

            ops.Add(new OuterProductOp(kernels, fieldCount, dim, kernelCount, embeddingOffset,
                allocate(OuterProductOp.ScratchWidth(dim, kernelCount)), offset, width, embeddingWidth + innerCount));
        }

        return (offset, width);
    }
}
