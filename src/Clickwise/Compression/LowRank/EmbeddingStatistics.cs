namespace Clickwise.Compression.LowRank;

/// <summary>
/// Exact per-field moments of the embedding outputs e = x·D[id] from one pass over the ids, with no forward: per
/// table row r, s1_r = Σx and s2_r = Σx² over its occurrences; then for field i over N samples,
/// μ_i = Σ_r s1_r·D[r] / N and E[e eᵀ] = Σ_r s2_r·D[r]D[r]ᵀ / N (r over the field's rows). Assumes one feature per
/// (sample, field), which is what a batch's ids [B, F] hold.
/// </summary>
public sealed class EmbeddingStatistics
{
    private readonly double[] _s1;
    private readonly double[] _s2;

    public EmbeddingStatistics(int tableRows, int fieldCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tableRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fieldCount);
        FieldCount = fieldCount;
        _s1 = new double[tableRows];
        _s2 = new double[tableRows];
    }

    public int FieldCount { get; }

    /// <summary>Samples seen so far.</summary>
    public long Samples { get; private set; }

    /// <summary>Adds <paramref name="rows"/> samples: ids [rows, F] and their values (empty when every value is 1).</summary>
    public void Add(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int rows)
    {
        int n = rows * FieldCount;
        if (ids.Length < n || (!values.IsEmpty && values.Length < n))
        {
            throw new ArgumentException($"{rows} samples of {FieldCount} fields need {n} ids and values.", nameof(ids));
        }

        for (int k = 0; k < n; k++)
        {
            double x = values.IsEmpty ? 1.0 : values[k];
            _s1[ids[k]] += x;
            _s2[ids[k]] += x * x;
        }

        Samples += rows;
    }

    /// <summary>
    /// μ (width t) and Cov = E[e eᵀ] − μμᵀ ([t, t] row-major) of the field whose rows are [<paramref name="firstRow"/>,
    /// <paramref name="firstRow"/> + <paramref name="rowCount"/>) of <paramref name="table"/> [V, t].
    /// </summary>
    public (double[] Mean, double[] Covariance) FieldMoments(ReadOnlySpan<float> table, int width, int firstRow, int rowCount)
    {
        if (Samples == 0)
        {
            throw new InvalidOperationException("no samples were added: statistics need at least one.");
        }

        var mean = new double[width];
        var second = new double[width * width];
        for (int r = firstRow; r < firstRow + rowCount; r++)
        {
            double s1 = _s1[r], s2 = _s2[r];
            if (s2 == 0)
            {
                continue; // never seen: no mass
            }

            ReadOnlySpan<float> d = table.Slice(r * width, width);
            for (int a = 0; a < width; a++)
            {
                mean[a] += s1 * d[a];
                double scaled = s2 * d[a];
                for (int b = 0; b < width; b++)
                {
                    second[a * width + b] += scaled * d[b];
                }
            }
        }

        for (int a = 0; a < width; a++)
        {
            mean[a] /= Samples;
        }

        for (int a = 0; a < width; a++)
        {
            for (int b = 0; b < width; b++)
            {
                second[a * width + b] = second[a * width + b] / Samples - mean[a] * mean[b];
            }
        }

        return (mean, second);
    }
}
