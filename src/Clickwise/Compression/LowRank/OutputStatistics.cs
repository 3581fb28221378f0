using Clickwise.Kernels;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// Streaming mean and covariance of a layer's m-wide outputs over any number of rows, memory O(m²): Σ(y − c) and
/// Σ(y − c)(y − c)ᵀ in float64 with c the first batch's mean, so E[yyᵀ] − μμᵀ does not cancel when |μ| ≫ σ. Each
/// batch's second moment is one fp32 GEMM (YᵀY over its centred rows) added into the double accumulator.
/// </summary>
public sealed class OutputStatistics
{
    private readonly double[] _sum;
    private readonly double[] _products;
    private readonly double[] _shift;
    private float[] _centred = [];
    private readonly float[] _batchProducts;
    private readonly ComputeContext _compute;

    public OutputStatistics(int width, ComputeContext? compute = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Width = width;
        _sum = new double[width];
        _shift = new double[width];
        _products = new double[(long)width * width];
        _batchProducts = new float[(long)width * width];
        _compute = compute ?? ComputeContext.Default;
    }

    public int Width { get; }

    /// <summary>Rows seen so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="rowCount"/> rows of <paramref name="outputs"/> [rows, Width].</summary>
    public void Add(ReadOnlySpan<float> outputs, int rowCount)
    {
        int m = Width;
        if (outputs.Length < (long)rowCount * m)
        {
            throw new ArgumentException($"outputs has {outputs.Length} values, {rowCount} rows of {m} need {(long)rowCount * m}.",
                nameof(outputs));
        }

        if (rowCount == 0)
        {
            return;
        }

        if (Count == 0)
        {
            for (int r = 0; r < rowCount; r++)
            {
                for (int j = 0; j < m; j++)
                {
                    _shift[j] += outputs[r * m + j];
                }
            }

            for (int j = 0; j < m; j++)
            {
                // A float shift makes y − c exact in float for every y near it (Sterbenz), so the GEMM sees exact inputs.
                _shift[j] = (float)(_shift[j] / rowCount);
            }
        }

        if (_centred.Length < rowCount * m)
        {
            _centred = new float[rowCount * m];
        }

        for (int r = 0; r < rowCount; r++)
        {
            for (int j = 0; j < m; j++)
            {
                double c = outputs[r * m + j] - _shift[j];
                _centred[r * m + j] = (float)c;
                _sum[j] += c;
            }
        }

        _compute.Gemm.Multiply(_centred, _centred, _batchProducts, m, m, rowCount, transA: true, transB: false,
            accumulate: false, _compute.Threads);
        for (int i = 0; i < _products.Length; i++)
        {
            _products[i] += _batchProducts[i];
        }

        Count += rowCount;
    }

    /// <summary>μ = E[y].</summary>
    public double[] Mean()
    {
        RequireRows();
        var mean = new double[Width];
        for (int j = 0; j < Width; j++)
        {
            mean[j] = _shift[j] + _sum[j] / Count;
        }

        return mean;
    }

    /// <summary>Cov(y) = E[(y − c)(y − c)ᵀ] − (μ − c)(μ − c)ᵀ, [Width, Width] row-major (population covariance).</summary>
    public double[] Covariance()
    {
        RequireRows();
        int m = Width;
        var cov = new double[(long)m * m];
        for (int i = 0; i < m; i++)
        {
            double di = _sum[i] / Count;
            for (int j = 0; j < m; j++)
            {
                cov[i * m + j] = _products[i * m + j] / Count - di * (_sum[j] / Count);
            }
        }

        return cov;
    }

    private void RequireRows()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("no rows were added: statistics need at least one row.");
        }
    }
}
