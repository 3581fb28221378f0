namespace Clickwise.Kernels.Simd;

/// <summary>
/// e^x for x ≤ 0 (a softmax's shifted scores), Cephes' expf: n = round(x·log2 e) by the 1.5·2²³ trick (t's low
/// mantissa bits then hold n), r = x − n·ln 2 in two parts, e^r by a degree-6 polynomial (relative error ~1e-7), 2^n
/// written straight into the exponent bits. Inputs below −87.3 are clamped there (e^x ≈ 1e-38, the smallest normal,
/// where a row's other weights make it vanish anyway). About 15 instructions; the runtime's Vector512.Exp (through
/// double precision) took several times longer here.
/// </summary>
internal static class LaneExp
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
