using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// FFM over multi-hot fields. Field i's vector for meeting field j is the pooled P_i[j] = Σ_k x_ik·T[id_ik][j], so the
/// pair term ⟨P_i[j], P_j[i]⟩ = Σ_k Σ_l x_ik x_jl ⟨T[id_ik][j], T[id_jl][i]⟩ sums every cross-field feature pair (xLearn's
/// FFM also sums the pairs inside a field; here a field is one pooled feature, as in every other model). The F·D-wide
/// rows are pooled by the embedding kernel (gather, then the extra features), a block of batch rows at a time into
/// per-thread scratch, and the pair kernel reads that block as its table with lookup n at row n and values 1.
/// </summary>
internal static class PooledFieldAwareRows
{
    /// <summary>Rows pooled at once: 16·F·F·D floats, 390 KB at F = 39, D = 4.</summary>
    public const int BlockRows = 16;

    [ThreadStatic]
    private static float[]? t_pooled;

    [ThreadStatic]
    private static int[]? t_identity;

    /// <summary>Adds the FFM term of rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of a batch with extra features.</summary>
    /// <param name="logits">[B], accumulated.</param>
    public static void AddRows(IFFMKernel kernel, ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                               ExtraLookups extras, int fieldCount, int dim, int rowStart, int rowEnd, Span<float> logits)
    {
        for (int start = rowStart; start < rowEnd; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, rowEnd - start);
            ReadOnlySpan<float> pooled = Pool(table, ids, values, extras, fieldCount, dim, start, rows);
            kernel.AddRows(pooled, Identity(rows * fieldCount), default, fieldCount, dim, 0, rows, logits.Slice(start, rows));
        }
    }

    /// <summary>
    /// P [rows, F, F·D] of batch rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="rows"/>): each lookup's
    /// field-aware row times its value plus its extra features'. Valid until this thread's next call.
    /// </summary>
    public static ReadOnlySpan<float> Pool(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras,
                                           int fieldCount, int dim, int start, int rows)
    {
        int width = fieldCount * dim, first = start * fieldCount, count = rows * fieldCount;
        int length = checked(count * width);
        if (t_pooled is null || t_pooled.Length < length)
        {
            t_pooled = new float[Math.Max(length, BlockRows * fieldCount * width)];
        }

        Span<float> pooled = t_pooled.AsSpan(0, length);
        KernelRegistry.Embedding.Gather(table, width, ids.Slice(first, count), values.IsEmpty ? default : values.Slice(first, count), pooled);
        KernelRegistry.Embedding.GatherExtra(table, width, extras.Slice(first, count), pooled);
        return pooled;
    }

    /// <summary>0, 1, …, <paramref name="count"/> − 1: the pooled block's lookups as table rows.</summary>
    private static ReadOnlySpan<int> Identity(int count)
    {
        if (t_identity is null || t_identity.Length < count)
        {
            t_identity = new int[count];
            for (int n = 0; n < count; n++)
            {
                t_identity[n] = n;
            }
        }

        return t_identity.AsSpan(0, count);
    }
}
