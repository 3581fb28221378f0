namespace Clickwise.Kernels.Reference;

/// <summary>Pair-by-pair loops accumulating in double: the specification of <see cref="IFwFMKernel"/>.</summary>
public sealed class ReferenceFwFM : IFwFMKernel
{
    public string Name => "fwfm-reference";

    public void Forward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, int batchSize, int fieldCount, int dim,
                        Span<float> y)
    {
        KernelChecks.FwFM(emb.Length, pairWeight.Length, batchSize, fieldCount, dim, y.Length);
        for (int b = 0; b < batchSize; b++)
        {
            double total = 0;
            for (int i = 0; i < fieldCount; i++)
            {
                for (int j = i + 1; j < fieldCount; j++)
                {
                    total += pairWeight[i * fieldCount + j] * Dot(emb, b, i, j, fieldCount, dim);
                }
            }

            y[b] = (float)total;
        }
    }

    public void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, ReadOnlySpan<float> dY,
                         int batchSize, int fieldCount, int dim, Span<float> dEmb, Span<float> dPairWeight)
    {
        KernelChecks.FwFMBackward(emb.Length, pairWeight.Length, batchSize, fieldCount, dim, dY.Length, dEmb.Length,
            dPairWeight.Length);
        for (int i = 0; i < fieldCount; i++)
        {
            for (int j = i + 1; j < fieldCount; j++)
            {
                double g = 0;
                for (int b = 0; b < batchSize; b++)
                {
                    g += dY[b] * Dot(emb, b, i, j, fieldCount, dim);
                }

                dPairWeight[i * fieldCount + j] += (float)g;
            }
        }

        for (int b = 0; b < batchSize; b++)
        {
            for (int i = 0; i < fieldCount; i++)
            {
                for (int d = 0; d < dim; d++)
                {
                    double g = 0;
                    for (int j = 0; j < fieldCount; j++)
                    {
                        if (j != i)
                        {
                            float r = pairWeight[Math.Min(i, j) * fieldCount + Math.Max(i, j)];
                            g += (double)r * emb[(b * fieldCount + j) * dim + d];
                        }
                    }

                    dEmb[(b * fieldCount + i) * dim + d] += (float)(dY[b] * g);
                }
            }
        }
    }

    private static double Dot(ReadOnlySpan<float> emb, int b, int i, int j, int fieldCount, int dim)
    {
        double s = 0;
        for (int d = 0; d < dim; d++)
        {
            s += (double)emb[(b * fieldCount + i) * dim + d] * emb[(b * fieldCount + j) * dim + d];
        }

        return s;
    }
}
