using System.Numerics.Tensors;

namespace Clickwise.Kernels;

/// <summary>
/// The tensor-train row kernel (<see cref="ITensorTrainKernel"/>) as one loop over the chain, its slice-row arithmetic
/// from <typeparamref name="TOps"/>: plain loops for the reference, <see cref="TensorPrimitives"/> for the fast variant.
/// The chain's partial products P_k [Q_k, r_k] (Q_k = q1⋯q_k) are kept in the caller's scratch: P_0 = [1],
/// P_{k+1} = P_k·G_k[i_k] read as [Q_k·q_k, r_{k+1}], and P_3 is the row.
/// </summary>
internal sealed class TensorTrainChain<TOps>(string name) : ITensorTrainKernel
    where TOps : struct, ISliceOps
{
    public string Name => name;

    public void Forward(ReadOnlySpan<float> cores, TensorTrainShape shape, int row, float scale, Span<float> output, Span<float> scratch)
    {
        Span<int> digits = stackalloc int[TensorTrainShape.CoreCount];
        shape.Digits(row, digits);
        Chain(cores, shape, digits, scratch, output);
        if (scale != 1f)
        {
            TensorPrimitives.Multiply(output[..shape.Dim], scale, output[..shape.Dim]);
        }
    }

    public void Backward(ReadOnlySpan<float> cores, TensorTrainShape shape, int row, float scale, ReadOnlySpan<float> dOutput,
                         Span<float> dCores, Span<float> scratch)
    {
        Span<int> digits = stackalloc int[TensorTrainShape.CoreCount];
        shape.Digits(row, digits);
        int dim = shape.Dim;
        int forward = shape.ForwardScratchLength;
        int widest = shape.WidestProduct;
        Chain(cores, shape, digits, scratch, scratch.Slice(forward, dim)); // keeps the prefixes; the row itself is not needed
        Span<float> gradient = scratch.Slice(forward, widest), previous = scratch.Slice(forward + widest, widest);
        TensorPrimitives.Multiply(dOutput[..dim], scale, gradient[..dim]);
        for (int k = TensorTrainShape.CoreCount - 1; k >= 0; k--)
        {
            int q = PrefixRows(shape, k), r = shape.Ranks[k], width = shape.DimFactors[k] * shape.Ranks[k + 1];
            ReadOnlySpan<float> prefix = Prefix(shape, scratch, k);
            ReadOnlySpan<float> slice = cores.Slice(shape.SliceOffset(k, digits[k]), r * width);
            Span<float> dSlice = dCores.Slice(shape.SliceOffset(k, digits[k]), r * width);
            // g is ∂/∂P_{k+1} read as [Q_k, q_k·r_{k+1}]: dG_k[i_k] += P_kᵀ·g, and ∂/∂P_k = g·G_k[i_k]ᵀ.
            for (int a = 0; a < q; a++)
            {
                ReadOnlySpan<float> g = gradient.Slice(a * width, width);
                for (int c = 0; c < r; c++)
                {
                    TOps.AddScaled(g, prefix[a * r + c], dSlice.Slice(c * width, width));
                }
            }

            if (k == 0)
            {
                break;
            }

            for (int a = 0; a < q; a++)
            {
                ReadOnlySpan<float> g = gradient.Slice(a * width, width);
                for (int c = 0; c < r; c++)
                {
                    previous[a * r + c] = TOps.Dot(g, slice.Slice(c * width, width));
                }
            }

            Span<float> swap = gradient;
            gradient = previous;
            previous = swap;
        }
    }

    /// <summary>P_1, P_2 into the scratch and P_3 (the unscaled row) into <paramref name="output"/>.</summary>
    private static void Chain(ReadOnlySpan<float> cores, TensorTrainShape shape, ReadOnlySpan<int> digits, Span<float> scratch,
                              Span<float> output)
    {
        scratch[0] = 1f;
        for (int k = 0; k < TensorTrainShape.CoreCount; k++)
        {
            int q = PrefixRows(shape, k), r = shape.Ranks[k], width = shape.DimFactors[k] * shape.Ranks[k + 1];
            ReadOnlySpan<float> prefix = Prefix(shape, scratch, k);
            ReadOnlySpan<float> slice = cores.Slice(shape.SliceOffset(k, digits[k]), r * width);
            Span<float> next = k + 1 < TensorTrainShape.CoreCount ? Prefix(shape, scratch, k + 1) : output[..shape.Dim];
            for (int a = 0; a < q; a++)
            {
                Span<float> dst = next.Slice(a * width, width);
                dst.Clear();
                for (int c = 0; c < r; c++)
                {
                    TOps.AddScaled(slice.Slice(c * width, width), prefix[a * r + c], dst);
                }
            }
        }
    }

    /// <summary>Q_k = q1⋯q_k, the rows of P_k.</summary>
    private static int PrefixRows(TensorTrainShape shape, int core) => shape.PrefixLength(core) / shape.Ranks[core];

    private static Span<float> Prefix(TensorTrainShape shape, Span<float> scratch, int core)
    {
        int offset = 0;
        for (int k = 0; k < core; k++)
        {
            offset += shape.PrefixLength(k);
        }

        return scratch.Slice(offset, shape.PrefixLength(core));
    }
}
