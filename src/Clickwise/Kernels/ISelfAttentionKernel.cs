namespace Clickwise.Kernels;

/// <summary>
/// One sample-head of scaled dot-product self-attention (AutoInt), forward and backward, and the compiled plan's whole
/// layer from packed projections; the training layer (<see cref="Layers.MultiHeadSelfAttention"/>) and the inference op
/// call the same variant. The attention is kept transposed, P = Aᵀ [F keys, F_p queries], F_p = F rounded up to
/// <see cref="Lanes"/>; a variant runs head widths that are multiples of <see cref="Lanes"/>.
/// </summary>
public unsafe interface ISelfAttentionKernel
{
    string Name { get; }

    /// <summary>The vector width: the head width must be a multiple of it.</summary>
    int Lanes { get; }

    /// <summary>F rounded up to a whole number of vectors (the attention's row length).</summary>
    int PaddedFields(int fieldCount);

    /// <summary>Floats of per-thread scratch one call needs.</summary>
    int ScratchFloats(int fieldCount, int headDim);

    /// <summary>O += softmax(scale·Q·Kᵀ)·V for one sample-head (rows <paramref name="stride"/> apart); writes P [F, F_p].</summary>
    void Forward(float* q, float* k, float* v, int stride, float* o, int oStride, int fieldCount, int headDim, float scale,
                 float* attention, float* scratch);

    /// <summary>dQ, dK, dV accumulated from dO and the forward's P.</summary>
    void Backward(float* q, float* k, float* v, float* dO, float* dQ, float* dK, float* dV, int stride, int fieldCount,
                  int headDim, float scale, float* attention, float* scratch);

    /// <summary>One sample's layer from packed projections: output [F, K·d'] = ReLU(R + Pᵀ·V) per head, scores unscaled.</summary>
    void PackedLayer(float* projections, int stride, int block, int fieldCount, int headCount, int headDim, bool residual,
                     float* scratch, float* output);
}
