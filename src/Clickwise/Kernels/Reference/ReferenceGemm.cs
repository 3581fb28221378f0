namespace Clickwise.Kernels.Reference;

/// <summary>Plain triple loop, accumulating in double: the specification the fast kernels are tested against.</summary>
public sealed class ReferenceGemm : IGemm
{
    public string Name => "reference";

    public void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
                         int m, int n, int k, bool transA, bool transB, bool accumulate, int threads)
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"GEMM operands too small for m={m} n={n} k={k}.");
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * m + i] : a[i * k + p];
                    float bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += (double)av * bv;
                }

                c[i * n + j] = (float)sum;
            }
        }
    }
}
