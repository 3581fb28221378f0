using System.Runtime.CompilerServices;

namespace Clickwise.Kernels;

/// <summary>
/// A pruned weight matrix W [in, out] in compressed sparse rows, one row per input: the surviving
/// (output index, weight) pairs of input i lie at [RowStart[i], RowStart[i + 1]). Input-major order lets a product
/// skip every input that is zero — after ReLU that is about half of them — and touches each surviving weight once.
/// </summary>
public sealed class CsrMatrix : ISparseMatrix
{
    private CsrMatrix(int rows, int columns, int[] rowStart, int[] column, float[] value)
    {
        Rows = rows;
        Columns = columns;
        RowStart = rowStart;
        Column = column;
        Value = value;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>[Rows + 1] offsets into <see cref="Column"/> and <see cref="Value"/>.</summary>
    public int[] RowStart { get; }

    public int[] Column { get; }

    public float[] Value { get; }

    public string Format => "csr";

    public int NonZeroCount => Value.Length;

    public double Density => Rows * (double)Columns == 0 ? 0 : NonZeroCount / (Rows * (double)Columns);

    public long Bytes => ((long)RowStart.Length + Column.Length + Value.Length) * sizeof(int);

    /// <summary>Keeps the non-zero entries of a dense row-major [rows, columns] matrix.</summary>
    public static CsrMatrix FromDense(ReadOnlySpan<float> dense, int rows, int columns)
    {
        if (rows < 0 || columns < 0 || dense.Length != (long)rows * columns)
        {
            throw new ArgumentException($"dense matrix of {dense.Length} values is not {rows}x{columns}");
        }

        int nonZero = 0;
        foreach (float v in dense)
        {
            if (v != 0f)
            {
                nonZero++;
            }
        }

        var rowStart = new int[rows + 1];
        var column = new int[nonZero];
        var value = new float[nonZero];
        int at = 0;
        for (int r = 0; r < rows; r++)
        {
            rowStart[r] = at;
            ReadOnlySpan<float> row = dense.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                if (row[c] != 0f)
                {
                    column[at] = c;
                    value[at++] = row[c];
                }
            }
        }

        rowStart[rows] = at;
        return new CsrMatrix(rows, columns, rowStart, column, value);
    }

    /// <summary>y[b, :] += x[b, :]·W for <paramref name="batchSize"/> rows; x [B, Rows], y [B, Columns].</summary>
    /// <remarks>
    /// Optimised from the first call: the compiler times this kernel against the dense one right after building
    /// it, and tier-0 code would lose that race for the wrong reason.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y, int batchSize)
    {
        if (x.Length < (long)batchSize * Rows || y.Length < (long)batchSize * Columns)
        {
            throw new ArgumentException($"operands too small for a batch of {batchSize} through {Rows}x{Columns}");
        }

        int rows = Rows, columns = Columns;
        fixed (float* px = x, py = y, pv = Value)
        fixed (int* pc = Column, ps = RowStart)
        {
            for (int b = 0; b < batchSize; b++)
            {
                float* input = px + (long)b * rows;
                float* output = py + (long)b * columns;
                for (int i = 0; i < rows; i++)
                {
                    float xi = input[i];
                    if (xi == 0f)
                    {
                        continue;
                    }

                    int end = ps[i + 1];
                    for (int k = ps[i]; k < end; k++)
                    {
                        output[pc[k]] += xi * pv[k];
                    }
                }
            }
        }
    }
}
