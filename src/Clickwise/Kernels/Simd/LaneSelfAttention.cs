namespace Clickwise.Kernels.Simd;

/// <summary>
/// <see cref="SelfAttentionKernel{TLanes, TVector}"/> behind <see cref="ISelfAttentionKernel"/>. The one-lane form is
/// the registry's reference (<c>attention-reference</c>): every product a scalar multiply-add loop, the softmax one
/// column at a time.
/// </summary>
internal sealed unsafe class LaneSelfAttention<TLanes, TVector> : ISelfAttentionKernel
    where TLanes : struct, ISoftmaxLaneOps<TVector>
    where TVector : unmanaged
{
    public string Name => TLanes.Count == 1 ? "attention-reference" : $"attention-{TLanes.Name}";

    public int Lanes => TLanes.Count;

    public int PaddedFields(int fieldCount) => SelfAttentionKernel<TLanes, TVector>.PaddedFields(fieldCount);

    public int ScratchFloats(int fieldCount, int headDim) => SelfAttentionKernel<TLanes, TVector>.ScratchFloats(fieldCount, headDim);

    public void Forward(float* q, float* k, float* v, int stride, float* o, int oStride, int fieldCount, int headDim, float scale,
                        float* attention, float* scratch) =>
        SelfAttentionKernel<TLanes, TVector>.Forward(q, k, v, stride, o, oStride, fieldCount, headDim, scale, attention, scratch);

    public void Backward(float* q, float* k, float* v, float* dO, float* dQ, float* dK, float* dV, int stride, int fieldCount,
                         int headDim, float scale, float* attention, float* scratch) =>
        SelfAttentionKernel<TLanes, TVector>.Backward(q, k, v, dO, dQ, dK, dV, stride, fieldCount, headDim, scale, attention, scratch);

    public void PackedLayer(float* projections, int stride, int block, int fieldCount, int headCount, int headDim, bool residual,
                            float* scratch, float* output) =>
        SelfAttentionKernel<TLanes, TVector>.PackedLayer(projections, stride, block, fieldCount, headCount, headDim, residual, scratch, output);
}
