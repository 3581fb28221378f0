namespace Clickwise.Kernels;

/// <summary>
/// The factorisation of one field's [V, D] embedding rows as a tensor train of three cores (Oseledets 2011; FBTT's
/// layout): V ≤ p1·p2·p3 rows (the tail padded, never looked up) and D = q1·q2·q3. Core k is stored
/// [p_k, r_{k−1}, q_k, r_k] with r_0 = r_3 = 1, so for a row's index digit i_k its slice is one contiguous
/// [r_{k−1}, q_k·r_k] matrix and a row is the chain G1[i1]·G2[i2]·G3[i3]. Row v has digits
/// v = (i1·p2 + i2)·p3 + i3 and element d = (j1·q2 + j2)·q3 + j3.
/// </summary>
public sealed class TensorTrainShape
{
    public const int CoreCount = 3;

    private readonly int[] _offsets = new int[CoreCount + 1];

    public TensorTrainShape(int[] rowFactors, int[] dimFactors, int[] ranks)
    {
        if (rowFactors.Length != CoreCount || dimFactors.Length != CoreCount || ranks.Length != CoreCount + 1)
        {
            throw new ArgumentException($"a tensor train here has {CoreCount} cores: 3 row factors, 3 dim factors and 4 ranks.");
        }

        if (rowFactors.Concat(dimFactors).Concat(ranks).Any(n => n < 1) || ranks[0] != 1 || ranks[CoreCount] != 1)
        {
            throw new ArgumentException("factors and ranks are positive, and the outer ranks are 1.");
        }

        RowFactors = rowFactors;
        DimFactors = dimFactors;
        Ranks = ranks;
        for (int k = 0; k < CoreCount; k++)
        {
            _offsets[k + 1] = checked(_offsets[k] + rowFactors[k] * ranks[k] * dimFactors[k] * ranks[k + 1]);
        }
    }

    /// <summary>p1, p2, p3: the row index's digits' bases.</summary>
    public int[] RowFactors { get; }

    /// <summary>q1, q2, q3: D's factors.</summary>
    public int[] DimFactors { get; }

    /// <summary>r0 = 1, r1, r2, r3 = 1.</summary>
    public int[] Ranks { get; }

    /// <summary>D = q1·q2·q3.</summary>
    public int Dim => DimFactors[0] * DimFactors[1] * DimFactors[2];

    /// <summary>p1·p2·p3: the rows the train can address (at least the field's vocabulary).</summary>
    public long Capacity => (long)RowFactors[0] * RowFactors[1] * RowFactors[2];

    /// <summary>Floats of the three cores together.</summary>
    public int Length => _offsets[CoreCount];

    public int CoreOffset(int core) => _offsets[core];

    public int CoreLength(int core) => _offsets[core + 1] - _offsets[core];

    /// <summary>Q_k·r_k: floats of P_k, the chain's product of the first k cores' slices (Q_k = q1⋯q_k; P_0 is the scalar 1).</summary>
    public int PrefixLength(int core)
    {
        int q = 1;
        for (int k = 0; k < core; k++)
        {
            q *= DimFactors[k];
        }

        return q * Ranks[core];
    }

    /// <summary>Floats <see cref="ITensorTrainKernel.Forward"/> needs: the partial products before cores 1, 2 and 3.</summary>
    public int ForwardScratchLength => PrefixLength(0) + PrefixLength(1) + PrefixLength(2);

    /// <summary>Floats <see cref="ITensorTrainKernel.Backward"/> needs: the partial products and two gradients of the widest one.</summary>
    public int BackwardScratchLength => ForwardScratchLength + 2 * WidestProduct;

    /// <summary>The longest partial product or row: the size of the backward's gradient buffers.</summary>
    internal int WidestProduct => Math.Max(Dim, Math.Max(PrefixLength(1), PrefixLength(2)));

    /// <summary>The slice of core <paramref name="core"/> that digit <paramref name="digit"/> selects: [r_{k−1}, q_k·r_k].</summary>
    public int SliceOffset(int core, int digit) => _offsets[core] + digit * Ranks[core] * DimFactors[core] * Ranks[core + 1];

    /// <summary>
    /// The automatic shape of a field with <paramref name="vocabulary"/> rows of width <paramref name="dim"/> at TT rank
    /// <paramref name="rank"/>: p1 the smallest integer with p1³ ≥ V, p2 the smallest with p1·p2² ≥ V, p3 = ⌈V/(p1·p2)⌉
    /// (so every p is near V^(1/3) and the padding is under p1·p2 rows); D's factors q1 ≤ q2 ≤ q3 with the smallest q3,
    /// then the largest q1 (16 → 2·2·4, 10 → 1·2·5); each inner rank min(r, the full TT rank at that cut), so a large r
    /// gives the exact train.
    /// </summary>
    public static TensorTrainShape For(int vocabulary, int dim, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        int p1 = 1;
        while ((long)p1 * p1 * p1 < vocabulary)
        {
            p1++;
        }

        int p2 = 1;
        while ((long)p1 * p2 * p2 < vocabulary)
        {
            p2++;
        }

        int p3 = (int)((vocabulary + (long)p1 * p2 - 1) / ((long)p1 * p2));
        int[] q = DimFactors3(dim);
        long left1 = (long)p1 * q[0], right1 = (long)p2 * q[1] * p3 * q[2];
        long left2 = left1 * p2 * q[1], right2 = (long)p3 * q[2];
        int r1 = (int)Math.Min(rank, Math.Min(left1, right1));
        int r2 = (int)Math.Min(rank, Math.Min(left2, right2));
        return new TensorTrainShape([p1, p2, p3], q, [1, r1, r2, 1]);
    }

    /// <summary>The digits (i1, i2, i3) of row <paramref name="row"/>.</summary>
    public void Digits(int row, Span<int> digits)
    {
        digits[2] = row % RowFactors[2];
        int rest = row / RowFactors[2];
        digits[1] = rest % RowFactors[1];
        digits[0] = rest / RowFactors[1];
    }

    public override string ToString() =>
        $"{string.Join("×", RowFactors)} rows, {string.Join("×", DimFactors)} dims, ranks {string.Join(",", Ranks)}, {Length} floats";

    private static int[] DimFactors3(int dim)
    {
        int[] best = [1, 1, dim];
        for (int a = 1; a * a * a <= dim; a++)
        {
            for (int b = a; dim % a == 0 && a * b * b <= dim; b++)
            {
                if (dim % (a * b) != 0)
                {
                    continue;
                }

                int c = dim / (a * b);
                if (c < best[2] || (c == best[2] && a > best[0]))
                {
                    best = [a, b, c];
                }
            }
        }

        return best;
    }
}
