namespace Clickwise.Kernels;

/// <summary>
/// Single-precision matrix product over dense row-major operands: C[m,n] = (accumulate ? C : 0) + op(A)·op(B),
/// where op(A) is [m,k] (A is stored [k,m] when <paramref name="transA"/>) and op(B) is [k,n]
/// (B is stored [n,k] when <paramref name="transB"/>). One signature serves all three training shapes of a
/// linear layer with weights stored [in, out]: forward y = x·W, backward-data dX = dY·Wᵀ, backward-weights dW = xᵀ·dY.
/// A variant may split the work over up to <c>threads</c> parts (the shared compute pool); the result is the same
/// for any count. Callers take the count from their <see cref="ComputeContext"/>, or pass 1 when they already run
/// on one part of a split (inference ops).
/// </summary>
public interface IGemm
{
    string Name { get; }

    void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
                  int m, int n, int k, bool transA, bool transB, bool accumulate, int threads);

    /// <summary>
    /// Prepares y = x·W + bias (then ReLU when <paramref name="relu"/>) for W [in, out]; the weights are
    /// read, not copied, by variants that do not repack them, so they must not change afterwards.
    /// </summary>
    IDenseProduct PrepareDense(float[] weight, float[] bias, int inputSize, int outputSize, bool relu) =>
        new GemmDenseProduct(this, weight, bias, inputSize, outputSize, relu);
}
