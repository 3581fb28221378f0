using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference.Ops;

/// <summary>
/// The vector operations of <see cref="AttentionKernel{TLanes, TVector}"/>, as static members of a struct so one
/// generic body compiles to Vector512, Vector256 or scalar code with every call inlined.
/// </summary>
internal unsafe interface IAttentionLanes<TVector>
    where TVector : unmanaged
{
    static abstract int Count { get; }

    static abstract string Name { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Broadcast(float value);

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    /// <summary>a·b + c, fused.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Exp(TVector x);

    /// <summary>The largest lane.</summary>
    static abstract float MaxAcross(TVector value);

    /// <summary>The sum of the lanes.</summary>
    static abstract float SumAcross(TVector value);
}

internal readonly unsafe struct AttentionLanes512 : IAttentionLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static string Name => "v512";

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => Vector512.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) => AttentionLanes256.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Vector512<float> value) => Vector512.Sum(value);
}

internal readonly unsafe struct AttentionLanes256 : IAttentionLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static string Name => "v256";

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => Vector256.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value)
    {
        Vector128<float> m = Vector128.Max(value.GetLower(), value.GetUpper());
        return MathF.Max(MathF.Max(m.GetElement(0), m.GetElement(1)), MathF.Max(m.GetElement(2), m.GetElement(3)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Vector256<float> value) => Vector256.Sum(value);
}

internal readonly unsafe struct AttentionLanesScalar : IAttentionLanes<float>
{
    public static int Count => 1;

    public static string Name => "scalar";

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, float* destination) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => MathF.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => MathF.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(float value) => value;
}

/// <summary>
/// One sample's interacting layer from its projections: for every head h, scores S = Q_h·K_hᵀ [F, F], a row softmax,
/// then out_h = ReLU(S·V_h + R_h) (R_h = 0 without the residual). Vectorised over key fields for the scores and the
/// softmax (K_h is transposed to [d', F_p] first, F_p = F rounded up to the lane count, padding columns masked to −∞
/// so they get zero weight) and over head dims for S·V_h (d' must be a multiple of the lane count). Both products run
/// in tiles of 8 rows (8 independent accumulators per vector column, the FMA latency × throughput); a last partial
/// tile repeats row F−1, whose duplicate results land on row F−1 again, so there is no remainder loop.
/// </summary>
internal static unsafe class AttentionKernel<TLanes, TVector>
    where TLanes : struct, IAttentionLanes<TVector>
    where TVector : unmanaged
{
    private const int TileRows = 8;

    /// <summary>F rounded up to a whole number of vectors.</summary>
    public static int PaddedFields(int fieldCount) => (fieldCount + TLanes.Count - 1) / TLanes.Count * TLanes.Count;

    /// <summary>Floats of scratch <see cref="Run"/> needs: K_hᵀ [d', F_p] and the attention [F, F_p].</summary>
    public static int ScratchFloats(int fieldCount, int headDim) => (headDim + fieldCount) * PaddedFields(fieldCount);

    /// <param name="projections">
    /// [F, stride], one sample's rows of the packed projection: head h's q, k, v and (with the residual) r, d' columns
    /// each, start at column h·block, h·block + d', + 2d', + 3d'.
    /// </param>
    /// <param name="scratch"><see cref="ScratchFloats"/> floats.</param>
    /// <param name="output">[F, K·d'], overwritten.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* projections, int stride, int block, int fieldCount, int headCount, int headDim, bool residual,
                           float* scratch, float* output)
    {
        int f = fieldCount, fp = PaddedFields(f), width = headCount * headDim;
        float* kt = scratch, attention = scratch + headDim * fp;
        for (int c = 0; c < headDim; c++)
        {
            new Span<float>(kt + c * fp + f, fp - f).Clear();
        }

        for (int h = 0; h < headCount; h++)
        {
            float* q = projections + h * block, k = q + headDim, v = k + headDim;
            float* r = residual ? v + headDim : null;
            Transpose(k, stride, f, headDim, kt, fp);
            for (int column = 0; column < fp; column += TLanes.Count)
            {
                for (int i = 0; i < f; i += TileRows)
                {
                    ScoreTile(q, stride, i, f, kt + column, fp, headDim, attention + column);
                }
            }

            for (int i = 0; i < f; i++)
            {
                Softmax(attention + i * fp, f, fp);
            }

            for (int column = 0; column < headDim; column += TLanes.Count)
            {
                for (int i = 0; i < f; i += TileRows)
                {
                    ValueTile(attention, fp, i, f, v + column, r == null ? null : r + column, stride, output + h * headDim + column, width);
                }
            }
        }
    }

    /// <summary>kt[c·fp + j] = k[j·stride + c] for j &lt; F, c &lt; d'.</summary>
    private static void Transpose(float* k, int stride, int f, int headDim, float* kt, int fp)
    {
        int j = 0;
        if (Transpose8x8.IsSupported)
        {
            for (; j + 8 <= f; j += 8)
            {
                int c = 0;
                for (; c + 8 <= headDim; c += 8)
                {
                    Transpose8x8.Run(k + j * stride + c, stride, kt + c * fp + j, fp);
                }

                for (; c < headDim; c++)
                {
                    for (int t = j; t < j + 8; t++)
                    {
                        kt[c * fp + t] = k[t * stride + c];
                    }
                }
            }
        }

        for (; j < f; j++)
        {
            for (int c = 0; c < headDim; c++)
            {
                kt[c * fp + j] = k[j * stride + c];
            }
        }
    }

    /// <summary>S[i..i+8, column vector] = Q[i..i+8]·K_hᵀ[:, column vector], rows past F-1 clamped to F-1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreTile(float* q, int stride, int i, int f, float* kt, int fp, int headDim, float* scores)
    {
        int last = f - 1;
        float* q0 = q + Math.Min(i, last) * stride, q1 = q + Math.Min(i + 1, last) * stride;
        float* q2 = q + Math.Min(i + 2, last) * stride, q3 = q + Math.Min(i + 3, last) * stride;
        float* q4 = q + Math.Min(i + 4, last) * stride, q5 = q + Math.Min(i + 5, last) * stride;
        float* q6 = q + Math.Min(i + 6, last) * stride, q7 = q + Math.Min(i + 7, last) * stride;
        TVector a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int c = 0; c < headDim; c++)
        {
            TVector key = TLanes.Load(kt + c * fp);
            a0 = TLanes.MultiplyAdd(TLanes.Broadcast(q0[c]), key, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Broadcast(q1[c]), key, a1);
            a2 = TLanes.MultiplyAdd(TLanes.Broadcast(q2[c]), key, a2);
            a3 = TLanes.MultiplyAdd(TLanes.Broadcast(q3[c]), key, a3);
            a4 = TLanes.MultiplyAdd(TLanes.Broadcast(q4[c]), key, a4);
            a5 = TLanes.MultiplyAdd(TLanes.Broadcast(q5[c]), key, a5);
            a6 = TLanes.MultiplyAdd(TLanes.Broadcast(q6[c]), key, a6);
            a7 = TLanes.MultiplyAdd(TLanes.Broadcast(q7[c]), key, a7);
        }

        // A clamped row computed exactly row F-1's numbers, so storing them to row F-1 again changes nothing.
        TLanes.Store(a7, scores + Math.Min(i + 7, last) * fp);
        TLanes.Store(a6, scores + Math.Min(i + 6, last) * fp);
        TLanes.Store(a5, scores + Math.Min(i + 5, last) * fp);
        TLanes.Store(a4, scores + Math.Min(i + 4, last) * fp);
        TLanes.Store(a3, scores + Math.Min(i + 3, last) * fp);
        TLanes.Store(a2, scores + Math.Min(i + 2, last) * fp);
        TLanes.Store(a1, scores + Math.Min(i + 1, last) * fp);
        TLanes.Store(a0, scores + Math.Min(i, last) * fp);
    }

    /// <summary>row[0..F) = softmax(row[0..F)); the padding columns [F, F_p) become 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Softmax(float* row, int f, int fp)
    {
        for (int j = f; j < fp; j++)
        {
            row[j] = float.NegativeInfinity;
        }

        TVector max = TLanes.Load(row);
        for (int j = TLanes.Count; j < fp; j += TLanes.Count)
        {
            max = TLanes.Max(max, TLanes.Load(row + j));
        }

        TVector shift = TLanes.Broadcast(TLanes.MaxAcross(max));
        TVector sum = TLanes.Zero;
        for (int j = 0; j < fp; j += TLanes.Count)
        {
            TVector e = TLanes.Exp(TLanes.Subtract(TLanes.Load(row + j), shift));
            TLanes.Store(e, row + j);
            sum = TLanes.Add(sum, e);
        }

        TVector scale = TLanes.Broadcast(1f / TLanes.SumAcross(sum));
        for (int j = 0; j < fp; j += TLanes.Count)
        {
            TLanes.Store(TLanes.Multiply(TLanes.Load(row + j), scale), row + j);
        }
    }

    /// <summary>out[i..i+8, column vector] = ReLU(A[i..i+8]·V_h[:, column vector] + R_h[i..i+8, column vector]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValueTile(float* attention, int fp, int i, int f, float* v, float* r, int stride, float* output, int width)
    {
        int last = f - 1;
        int i0 = Math.Min(i, last), i1 = Math.Min(i + 1, last), i2 = Math.Min(i + 2, last), i3 = Math.Min(i + 3, last);
        int i4 = Math.Min(i + 4, last), i5 = Math.Min(i + 5, last), i6 = Math.Min(i + 6, last), i7 = Math.Min(i + 7, last);
        float* w0 = attention + i0 * fp, w1 = attention + i1 * fp, w2 = attention + i2 * fp, w3 = attention + i3 * fp;
        float* w4 = attention + i4 * fp, w5 = attention + i5 * fp, w6 = attention + i6 * fp, w7 = attention + i7 * fp;
        TVector a0, a1, a2, a3, a4, a5, a6, a7;
        if (r == null)
        {
            a0 = TLanes.Zero;
            a1 = a0;
            a2 = a0;
            a3 = a0;
            a4 = a0;
            a5 = a0;
            a6 = a0;
            a7 = a0;
        }
        else
        {
            a0 = TLanes.Load(r + i0 * stride);
            a1 = TLanes.Load(r + i1 * stride);
            a2 = TLanes.Load(r + i2 * stride);
            a3 = TLanes.Load(r + i3 * stride);
            a4 = TLanes.Load(r + i4 * stride);
            a5 = TLanes.Load(r + i5 * stride);
            a6 = TLanes.Load(r + i6 * stride);
            a7 = TLanes.Load(r + i7 * stride);
        }

        for (int j = 0; j < f; j++)
        {
            TVector value = TLanes.Load(v + j * stride);
            a0 = TLanes.MultiplyAdd(TLanes.Broadcast(w0[j]), value, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Broadcast(w1[j]), value, a1);
            a2 = TLanes.MultiplyAdd(TLanes.Broadcast(w2[j]), value, a2);
            a3 = TLanes.MultiplyAdd(TLanes.Broadcast(w3[j]), value, a3);
            a4 = TLanes.MultiplyAdd(TLanes.Broadcast(w4[j]), value, a4);
            a5 = TLanes.MultiplyAdd(TLanes.Broadcast(w5[j]), value, a5);
            a6 = TLanes.MultiplyAdd(TLanes.Broadcast(w6[j]), value, a6);
            a7 = TLanes.MultiplyAdd(TLanes.Broadcast(w7[j]), value, a7);
        }

        TVector zero = TLanes.Zero;
        TLanes.Store(TLanes.Max(a7, zero), output + i7 * width);
        TLanes.Store(TLanes.Max(a6, zero), output + i6 * width);
        TLanes.Store(TLanes.Max(a5, zero), output + i5 * width);
        TLanes.Store(TLanes.Max(a4, zero), output + i4 * width);
        TLanes.Store(TLanes.Max(a3, zero), output + i3 * width);
        TLanes.Store(TLanes.Max(a2, zero), output + i2 * width);
        TLanes.Store(TLanes.Max(a1, zero), output + i1 * width);
        TLanes.Store(TLanes.Max(a0, zero), output + i0 * width);
    }
}
