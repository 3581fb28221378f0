namespace Clickwise.Kernels;

/// <summary>A GEMM that can be told its thread count per call (tests compare counts; benchmarks sweep them).</summary>
public interface IThreadedGemm : IGemm
{
    void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
                  int m, int n, int k, bool transA, bool transB, bool accumulate, int threads);
}
