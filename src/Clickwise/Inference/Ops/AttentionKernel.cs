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

    /// <summary>e^x for x ≤ 0.</summary>
    static abstract TVector Exp(TVector x);

    static abstract TVector Divide(TVector a, TVector b);
}

/// <summary>
/// e^x for the softmax's x ≤ 0 (a shifted score), Cephes' expf: n = round(x·log2 e) by the 1.5·2²³ trick (t's low
/// mantissa bits then hold n), r = x − n·ln 2 in two parts, e^r by a degree-6 polynomial (relative error ~1e-7), 2^n
/// written straight into the exponent bits. Inputs below −87.3 are clamped there (e^x ≈ 1e-38, the smallest normal,
/// where a row's other weights make it vanish anyway). About 15 instructions; the runtime's Vector512.Exp (through
/// double precision) took several times longer here.
/// </summary>
internal static class AttentionExp
{
    public const float Lowest = -87.3f;
    public const float Log2E = 1.44269504088896341f;
    public const float Magic = 12582912f; // 1.5·2²³
    public const float Ln2High = 0.693359375f;
    public const float Ln2Low = -2.12194440e-4f;
    public const float C2 = 1.6666665459e-1f;
    public const float C3 = 4.1665795894e-2f;
    public const float C4 = 8.3334519073e-3f;
    public const float C5 = 1.3981999507e-3f;
    public const float C6 = 1.9875691500e-4f;
    public const int ExponentBias = 127 - 0x4B400000; // removes Magic's bits from t, adds the float bias
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
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // See AttentionExp: x = n·ln2 + r, e^x = 2^n · p(r).
        x = Vector512.Max(x, Vector512.Create(AttentionExp.Lowest));
        Vector512<float> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(AttentionExp.Log2E), Vector512.Create(AttentionExp.Magic));
        Vector512<float> n = t - Vector512.Create(AttentionExp.Magic);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-AttentionExp.Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-AttentionExp.Ln2Low), r);
        Vector512<float> p = Vector512.Create(AttentionExp.C6);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(AttentionExp.C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(AttentionExp.C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(AttentionExp.C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(AttentionExp.C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        Vector512<int> scale = Vector512.ShiftLeft(t.AsInt32() + Vector512.Create(AttentionExp.ExponentBias), 23);
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
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
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(AttentionExp.Lowest));
        Vector256<float> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(AttentionExp.Log2E), Vector256.Create(AttentionExp.Magic));
        Vector256<float> n = t - Vector256.Create(AttentionExp.Magic);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-AttentionExp.Ln2High), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-AttentionExp.Ln2Low), r);
        Vector256<float> p = Vector256.Create(AttentionExp.C6);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(AttentionExp.C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(AttentionExp.C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(AttentionExp.C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(AttentionExp.C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        Vector256<int> scale = Vector256.ShiftLeft(t.AsInt32() + Vector256.Create(AttentionExp.ExponentBias), 23);
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
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
    public static float Divide(float a, float b) => a / b;
}

/// <summary>
/// One sample's interacting layer from its projections: for every head h, scores S = Q_h·K_hᵀ [F, F], a softmax over
/// keys, then out_h = ReLU(S·V_h + R_h) (R_h = 0 without the residual). The scores are kept transposed, Sᵀ [F keys,
/// F_p queries] (F_p = F rounded up to the lane count), vectorised over queries: Q_h is transposed to [d', F_p] first
/// (zero padding columns), each key row of Sᵀ is a sum of d' broadcast FMAs, and the softmax of every query runs down
/// the columns with vertical max, exp and sum, no horizontal reductions and no masking (padding queries get finite junk
/// that is never read). S·V_h is vectorised over head dims (d' must be a multiple of the lane count). Both products
/// run in tiles of 8 rows (8 independent accumulators, the FMA latency × throughput); a last partial tile repeats row
/// F−1, whose duplicate results land on row F−1 again, so there is no remainder loop.
/// </summary>
internal static unsafe class AttentionKernel<TLanes, TVector>
    where TLanes : struct, IAttentionLanes<TVector>
    where TVector : unmanaged
{
    private const int TileRows = 8;

    /// <summary>F rounded up to a whole number of vectors.</summary>
    public static int PaddedFields(int fieldCount) => (fieldCount + TLanes.Count - 1) / TLanes.Count * TLanes.Count;

    /// <summary>Floats of scratch <see cref="Run"/> needs: Q_hᵀ [d', F_p] and the transposed attention [F, F_p].</summary>
    public static int ScratchFloats(int fieldCount, int headDim) => (headDim + fieldCount) * PaddedFields(fieldCount);

    /// <param name="projections">
    /// [F, stride], one sample's rows of the packed projection: head h's q, k, v and (with the residual) r, d' columns
    /// each, start at column h·block, h·block + d', + 2d', + 3d'.
    /// </param>
    /// <param name="scratch"><see cref="ScratchFloats"/> floats.</param>
    /// <param name="output">[F, K·d'], overwritten.</param>
    public static void Run(float* projections, int stride, int block, int fieldCount, int headCount, int headDim, bool residual,
                           float* scratch, float* output)
    {
        int f = fieldCount, fp = PaddedFields(f), width = headCount * headDim;
        float* qt = scratch, attention = scratch + headDim * fp;
        for (int c = 0; c < headDim; c++)
        {
            new Span<float>(qt + c * fp + f, fp - f).Clear();
        }

        for (int h = 0; h < headCount; h++)
        {
            float* q = projections + h * block, k = q + headDim, v = k + headDim;
            float* r = residual ? v + headDim : null;
            Transpose(q, stride, f, headDim, qt, fp);
            for (int column = 0; column < fp; column += TLanes.Count)
            {
                for (int j = 0; j < f; j += TileRows)
                {
                    ScoreTile(k, stride, j, f, qt + column, fp, headDim, attention + column);
                }

                Softmax(attention + column, f, fp);
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

    /// <summary>qt[c·fp + i] = q[i·stride + c] for i &lt; F, c &lt; d'.</summary>
    private static void Transpose(float* q, int stride, int f, int headDim, float* qt, int fp)
    {
        int i = 0;
        if (Transpose8x8.IsSupported)
        {
            for (; i + 8 <= f; i += 8)
            {
                int c = 0;
                for (; c + 8 <= headDim; c += 8)
                {
                    Transpose8x8.Run(q + i * stride + c, stride, qt + c * fp + i, fp);
                }

                for (; c < headDim; c++)
                {
                    for (int t = i; t < i + 8; t++)
                    {
                        qt[c * fp + t] = q[t * stride + c];
                    }
                }
            }
        }

        for (; i < f; i++)
        {
            for (int c = 0; c < headDim; c++)
            {
                qt[c * fp + i] = q[i * stride + c];
            }
        }
    }

    /// <summary>Sᵀ[j..j+8, query vector] = K[j..j+8]·Q_hᵀ[:, query vector], key rows past F-1 clamped to F-1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreTile(float* k, int stride, int j, int f, float* qt, int fp, int headDim, float* scores)
    {
        int last = f - 1;
        float* k0 = k + Math.Min(j, last) * stride, k1 = k + Math.Min(j + 1, last) * stride;
        float* k2 = k + Math.Min(j + 2, last) * stride, k3 = k + Math.Min(j + 3, last) * stride;
        float* k4 = k + Math.Min(j + 4, last) * stride, k5 = k + Math.Min(j + 5, last) * stride;
        float* k6 = k + Math.Min(j + 6, last) * stride, k7 = k + Math.Min(j + 7, last) * stride;
        TVector a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int c = 0; c < headDim; c++)
        {
            TVector query = TLanes.Load(qt + c * fp);
            a0 = TLanes.MultiplyAdd(TLanes.Broadcast(k0[c]), query, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Broadcast(k1[c]), query, a1);
            a2 = TLanes.MultiplyAdd(TLanes.Broadcast(k2[c]), query, a2);
            a3 = TLanes.MultiplyAdd(TLanes.Broadcast(k3[c]), query, a3);
            a4 = TLanes.MultiplyAdd(TLanes.Broadcast(k4[c]), query, a4);
            a5 = TLanes.MultiplyAdd(TLanes.Broadcast(k5[c]), query, a5);
            a6 = TLanes.MultiplyAdd(TLanes.Broadcast(k6[c]), query, a6);
            a7 = TLanes.MultiplyAdd(TLanes.Broadcast(k7[c]), query, a7);
        }

        // A clamped row computed exactly row F-1's numbers, so storing them to row F-1 again changes nothing.
        TLanes.Store(a7, scores + Math.Min(j + 7, last) * fp);
        TLanes.Store(a6, scores + Math.Min(j + 6, last) * fp);
        TLanes.Store(a5, scores + Math.Min(j + 5, last) * fp);
        TLanes.Store(a4, scores + Math.Min(j + 4, last) * fp);
        TLanes.Store(a3, scores + Math.Min(j + 3, last) * fp);
        TLanes.Store(a2, scores + Math.Min(j + 2, last) * fp);
        TLanes.Store(a1, scores + Math.Min(j + 1, last) * fp);
        TLanes.Store(a0, scores + Math.Min(j, last) * fp);
    }

    /// <summary>Column vector of Sᵀ (one query per lane) = its softmax over the F key rows: max, exp, sum, all vertical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Softmax(float* column, int f, int fp)
    {
        TVector max = TLanes.Load(column);
        for (int j = 1; j < f; j++)
        {
            max = TLanes.Max(max, TLanes.Load(column + j * fp));
        }

        TVector sum = TLanes.Zero;
        for (int j = 0; j < f; j++)
        {
            TVector e = TLanes.Exp(TLanes.Subtract(TLanes.Load(column + j * fp), max));
            TLanes.Store(e, column + j * fp);
            sum = TLanes.Add(sum, e);
        }

        TVector scale = TLanes.Divide(TLanes.Broadcast(1f), sum);
        for (int j = 0; j < f; j++)
        {
            TLanes.Store(TLanes.Multiply(TLanes.Load(column + j * fp), scale), column + j * fp);
        }
    }

    /// <summary>out[i..i+8, column vector] = ReLU(A[i..i+8]·V_h[:, column vector] + R_h[i..i+8, column vector]), A read from Sᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValueTile(float* attention, int fp, int i, int f, float* v, float* r, int stride, float* output, int width)
    {
        int last = f - 1;
        int i0 = Math.Min(i, last), i1 = Math.Min(i + 1, last), i2 = Math.Min(i + 2, last), i3 = Math.Min(i + 3, last);
        int i4 = Math.Min(i + 4, last), i5 = Math.Min(i + 5, last), i6 = Math.Min(i + 6, last), i7 = Math.Min(i + 7, last);
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
            float* weights = attention + j * fp;
            a0 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i0]), value, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i1]), value, a1);
            a2 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i2]), value, a2);
            a3 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i3]), value, a3);
            a4 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i4]), value, a4);
            a5 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i5]), value, a5);
            a6 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i6]), value, a6);
            a7 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i7]), value, a7);
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
