using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

/// <summary>
/// Every self-attention variant's per-sample-head forward and backward against the reference (the one-lane form) on
/// field counts around the lane counts (padded query columns), with and without score scaling.
/// </summary>
public sealed unsafe class KernelAttentionTests
{
    // Every variant, the reference too: with intrinsics off it is the only one, and a theory needs a row.
    public static TheoryData<string> Variants() => new(KernelRegistry.AllSelfAttention.Select(k => k.Name));

    [Fact]
    public void ContextPicksAVariantWhoseLanesDivideTheHeadWidth()
    {
        ComputeContext context = ComputeContext.Default;
        foreach (int headDim in new[] { 1, 3, 8, 16, 24, 32 })
        {
            ISelfAttentionKernel kernel = context.SelfAttentionFor(headDim);
            Assert.Equal(0, headDim % kernel.Lanes);
        }

        bool reference = KernelRegistry.ParseForced(Environment.GetEnvironmentVariable(KernelRegistry.EnvironmentVariable)).Contains("reference");
        Assert.Equal(reference || KernelRegistry.AllSelfAttention.Count == 1, context.SelfAttentionFor(32).Name == "attention-reference");
        Assert.Equal("attention-reference", (context with { SelfAttention = [KernelRegistry.AllSelfAttention[0]] }).SelfAttentionFor(32).Name);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ForwardAndBackwardMatchTheReference(string name)
    {
        ISelfAttentionKernel kernel = KernelRegistry.AllSelfAttention.Single(k => k.Name == name);
        ISelfAttentionKernel reference = KernelRegistry.AllSelfAttention[0];
        foreach (int fields in new[] { 1, 7, 8, 16, 17, 39 })
        {
            foreach (float scale in new[] { 1f, 0.25f })
            {
                int headDim = 2 * kernel.Lanes, stride = headDim + 3, seed = fields * 7 + (int)(scale * 4);
                float[] q = KernelData.Random(fields * stride, seed), k = KernelData.Random(fields * stride, seed + 1);
                float[] v = KernelData.Random(fields * stride, seed + 2), dO = KernelData.Random(fields * stride, seed + 3);
                (float[] o, float[] dQ, float[] dK, float[] dV) expected = Run(reference, q, k, v, dO, fields, headDim, stride, scale);
                (float[] o, float[] dQ, float[] dK, float[] dV) actual = Run(kernel, q, k, v, dO, fields, headDim, stride, scale);
                string what = $"{name} F={fields} s={scale}";
                KernelData.AssertClose(expected.o, actual.o, 1e-5, 1e-4, what + " O");
                KernelData.AssertClose(expected.dQ, actual.dQ, 1e-5, 1e-4, what + " dQ");
                KernelData.AssertClose(expected.dK, actual.dK, 1e-5, 1e-4, what + " dK");
                KernelData.AssertClose(expected.dV, actual.dV, 1e-5, 1e-4, what + " dV");
            }
        }
    }

    private static (float[] O, float[] DQ, float[] DK, float[] DV) Run(ISelfAttentionKernel kernel, float[] q, float[] k, float[] v,
                                                                    float[] dO, int fields, int headDim, int stride, float scale)
    {
        float[] o = KernelData.Random(fields * stride, 91), dQ = KernelData.Random(fields * stride, 92);
        float[] dK = KernelData.Random(fields * stride, 93), dV = KernelData.Random(fields * stride, 94);
        float[] attention = new float[fields * kernel.PaddedFields(fields)];
        float[] scratch = new float[kernel.ScratchFloats(fields, headDim)];
        fixed (float* pq = q, pk = k, pv = v, pdO = dO, po = o, pdQ = dQ, pdK = dK, pdV = dV, pa = attention, ps = scratch)
        {
            kernel.Forward(pq, pk, pv, stride, po, stride, fields, headDim, scale, pa, ps);
            kernel.Backward(pq, pk, pv, pdO, pdQ, pdK, pdV, stride, fields, headDim, scale, pa, ps);
        }

        return (o, dQ, dK, dV);
    }
}
