using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Clickwise.Layers;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// The FFM pair term reading the F field-aware rows [F·D] of a request straight from the table. All cache lines of a
/// row's F table rows are prefetched before its pairs are summed (and the next row's while this one's are), so a
/// request's misses overlap instead of arriving one pair at a time. Each pair's D-wide dot is split into
/// Vector512/256/128 chunks (the widths the JIT accelerates), the last D mod 4 values by an overlapping Vector128 load
/// with the already counted lanes masked off, all accumulated into vector registers (two independent sets, alternate
/// pairs) and summed horizontally once per row.
/// </summary>
public sealed unsafe class SimdFFM : IFFMKernel
{
    // The split of the last shape called (a model calls with one shape), a class as the old op's fields were: the
    // same split in a struct local ran D = 4 at half the speed.
    private Chunks? _chunks;

    public string Name => "ffm-simd";

    public void AddRows(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int fieldCount, int dim,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        Chunks? chunks = _chunks;
        if (chunks is null || chunks.FieldCount != fieldCount || chunks.Dim != dim)
        {
            _chunks = chunks = new Chunks(fieldCount, dim);  // immutable, so a racing thread at worst builds its own
        }

        int f = fieldCount;
        long stride = (long)f * dim;
        float** rows = stackalloc float*[f];
        fixed (float* tablePointer = table)
        fixed (int* idPointer = ids)
        fixed (float* valuePointer = values)
        {
            if (rowStart < rowEnd)
            {
                Embedding.PrefetchRows(tablePointer, idPointer + rowStart * f, f, stride);
            }

            for (int b = rowStart; b < rowEnd; b++)
            {
                int* rowIds = idPointer + b * f;
                for (int i = 0; i < f; i++)
                {
                    rows[i] = tablePointer + rowIds[i] * stride;
                }

                if (b + 1 < rowEnd)
                {
                    Embedding.PrefetchRows(tablePointer, rowIds + f, f, stride);
                }

                logits[b] += values.IsEmpty ? chunks.Pairs<Unweighted>(rows, null) : chunks.Pairs<Weighted>(rows, valuePointer + b * f);
            }
        }
    }

    /// <summary>How D splits into vector chunks on this CPU, e.g. "2×v512+masked v128 tail of 3".</summary>
    public static string Describe(int dim) => new Chunks(1, dim).Describe();

    /// <summary>The split of one pair's D-wide dot into vector chunks.</summary>
    private sealed class Chunks
    {
        private readonly int _fieldCount;
        private readonly int _dim;
        private readonly int _chunks512;
        private readonly int _chunks256;
        private readonly int _chunks128;
        private readonly int _tail;
        private readonly Vector128<float> _tailMask;

        public Chunks(int fieldCount, int dim)
        {
            _fieldCount = fieldCount;
            _dim = dim;
            int rest = dim;
            if (Vector512.IsHardwareAccelerated)
            {
                _chunks512 = rest / 16;
                rest -= 16 * _chunks512;
            }

            if (Vector256.IsHardwareAccelerated)
            {
                _chunks256 = rest / 8;
                rest -= 8 * _chunks256;
            }

            if (Vector128.IsHardwareAccelerated)
            {
                _chunks128 = rest / 4;
                rest -= 4 * _chunks128;
            }

            _tail = rest;
            // D ≥ 4: the tail is the last four values with the first 4 − tail lanes (counted already) masked off.
            _tailMask = Vector128.Create(0 >= 4 - rest ? 1f : 0f, 1 >= 4 - rest ? 1f : 0f, 2 >= 4 - rest ? 1f : 0f, 1f);
        }

        public int FieldCount => _fieldCount;

        public int Dim => _dim;

        public string Describe() => string.Join("+", Parts());

        private IEnumerable<string> Parts()
        {
            if (_chunks512 > 0) yield return $"{_chunks512}×v512";
            if (_chunks256 > 0) yield return $"{_chunks256}×v256";
            if (_chunks128 > 0) yield return $"{_chunks128}×v128";
            if (_tail > 0) yield return _dim >= 4 && Vector128.IsHardwareAccelerated ? $"masked v128 tail of {_tail}" : $"{_tail} scalar";
        }

        /// <summary>Σ_{i&lt;j} w_ij ⟨rows[i] + j·D, rows[j] + i·D⟩ with w_ij = x_i x_j (weighted) or 1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float Pairs<TWeights>(float** rows, float* x)
            where TWeights : struct
        {
            int f = _fieldCount, d = _dim;
            var a = default(Accumulator);
            var b = default(Accumulator);
            for (int i = 0; i < f - 1; i++)
            {
                float* vi = rows[i];
                float xi = typeof(TWeights) == typeof(Weighted) ? x[i] : 1f;
                int j = i + 1;
                for (; j + 1 < f; j += 2)
                {
                    float w0 = typeof(TWeights) == typeof(Weighted) ? xi * x[j] : 1f;
                    float w1 = typeof(TWeights) == typeof(Weighted) ? xi * x[j + 1] : 1f;
                    Dot<TWeights>(vi + j * d, rows[j] + i * d, w0, ref a);
                    Dot<TWeights>(vi + (j + 1) * d, rows[j + 1] + i * d, w1, ref b);
                }

                if (j < f)
                {
                    float w = typeof(TWeights) == typeof(Weighted) ? xi * x[j] : 1f;
                    Dot<TWeights>(vi + j * d, rows[j] + i * d, w, ref a);
                }
            }

            return a.Sum() + b.Sum();
        }

        /// <summary>acc += w·(p ⊙ q) over the D values, chunk by chunk.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Dot<TWeights>(float* p, float* q, float w, ref Accumulator acc)
            where TWeights : struct
        {
            bool weighted = typeof(TWeights) == typeof(Weighted);
            int k = 0;
            for (int c = 0; c < _chunks512; c++, k += 16)
            {
                Vector512<float> left = weighted ? Vector512.Load(p + k) * w : Vector512.Load(p + k);
                acc.V512 = Vector512.FusedMultiplyAdd(left, Vector512.Load(q + k), acc.V512);
            }

            for (int c = 0; c < _chunks256; c++, k += 8)
            {
                Vector256<float> left = weighted ? Vector256.Load(p + k) * w : Vector256.Load(p + k);
                acc.V256 = Vector256.FusedMultiplyAdd(left, Vector256.Load(q + k), acc.V256);
            }

            for (int c = 0; c < _chunks128; c++, k += 4)
            {
                Vector128<float> left = weighted ? Vector128.Load(p + k) * w : Vector128.Load(p + k);
                acc.V128 = Vector128.FusedMultiplyAdd(left, Vector128.Load(q + k), acc.V128);
            }

            if (_tail == 0)
            {
                return;
            }

            if (_dim >= 4 && Vector128.IsHardwareAccelerated)
            {
                int at = _dim - 4;
                Vector128<float> left = Vector128.Load(p + at) * (weighted ? _tailMask * w : _tailMask);
                acc.V128 = Vector128.FusedMultiplyAdd(left, Vector128.Load(q + at), acc.V128);
                return;
            }

            for (; k < _dim; k++)
            {
                acc.Scalar += w * p[k] * q[k];
            }
        }

        private struct Accumulator
        {
            public Vector512<float> V512;
            public Vector256<float> V256;
            public Vector128<float> V128;
            public float Scalar;

            public readonly float Sum() => Vector512.Sum(V512) + Vector256.Sum(V256) + Vector128.Sum(V128) + Scalar;
        }
    }

    private struct Weighted;

    private struct Unweighted;
}
