namespace Clickwise.Kernels.Reference;

/// <summary>The FM sum-square identity in plain loops accumulating in double: the specification of <see cref="IFMKernel"/>.</summary>
public sealed class ReferenceFM : IFMKernel
{
    public string Name => "fm-reference";

    public void Forward(ReadOnlySpan<float> emb, int batchSize, int fieldCount, int dim, Span<float> sum, Span<float> y)
    {
        KernelChecks.FM(emb.Length, batchSize, fieldCount, dim, sum.Length, y.Length);
        for (int b = 0; b < batchSize; b++)
        {
            double total = 0;
            for (int d = 0; d < dim; d++)
            {
                double s = 0, squares = 0;
                for (int f = 0; f < fieldCount; f++)
                {
                    double e = emb[(b * fieldCount + f) * dim + d];
                    s += e;
                    squares += e * e;
                }

                sum[b * dim + d] = (float)s;
                total += s * s - squares;
            }

            y[b] = (float)(0.5 * total);
        }
    }

    public void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> sum, ReadOnlySpan<float> dY,
                         int batchSize, int fieldCount, int dim, Span<float> dEmb)
    {
        KernelChecks.FM(emb.Length, batchSize, fieldCount, dim, sum.Length, dY.Length);
        KernelChecks.Length(dEmb.Length, emb.Length, nameof(dEmb));
        for (int b = 0; b < batchSize; b++)
        {
            for (int f = 0; f < fieldCount; f++)
            {
                for (int d = 0; d < dim; d++)
                {
                    int at = (b * fieldCount + f) * dim + d;
                    dEmb[at] += dY[b] * (sum[b * dim + d] - emb[at]);
                }
            }
        }
    }
}
