using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Clickwise.Data;
using Clickwise.Layers;
using Clickwise.Training;
using Clickwise.Training.Optimizers;

namespace Clickwise.Distributed;

/// <summary>
/// Data parallelism with every table on every rank: dense gradients are summed by <see cref="DenseGradientReducer"/>,
/// and each table's gradient travels as the (row, gradient row) pairs its batch touched, gathered from every rank
/// (one allgatherv for all tables) and summed in rank order. Every rank then holds the global batch's gradient and
/// steps the same optimizer on the same numbers, so the replicas never drift.
/// </summary>
public sealed class ReplicatedTables : IGradientExchange
{
    private readonly ICommunicator _communicator;
    private readonly Parameter[] _tables;
    private readonly DenseGradientReducer _dense;
    private byte[] _send = [];
    private byte[] _receive = [];
    private readonly int[] _counts;

    public ReplicatedTables(ICommunicator communicator, ParameterSet parameters)
    {
        _communicator = communicator;
        _tables = [.. parameters.Where(p => p.IsRowSparse)];
        _dense = new DenseGradientReducer(communicator, parameters, Stats);
        _counts = new int[communicator.Size];
    }

    public int Ranks => _communicator.Size;

    public CommunicationStats Stats { get; } = new();

    public void BeforeForward(Batch batch, ParameterSet parameters)
    {
    }

    public StepTotals Reduce(ParameterSet parameters, double loss, int rows)
    {
        StepTotals totals = _dense.Reduce(parameters, loss, rows);
        var clock = Stopwatch.StartNew();
        int bytes = Pack();
        int[] counts = _counts;
        _communicator.Allgather(bytes, counts);
        ExchangeBuffers.Grow(ref _receive, counts.Sum());
        _communicator.AllgatherV(_send.AsSpan(0, bytes), _receive, counts);
        Merge(counts);
        Stats.EmbeddingBytes += bytes;
        Stats.EmbeddingTime += clock.Elapsed;
        Stats.Steps++;
        return totals;
    }

    public void Synchronize(ParameterSet parameters, IOptimizer optimizer)
    {
    }

    /// <summary>This rank's pairs as 4-byte words: each table's row count, then each table's rows, then each table's gradient rows.</summary>
    private int Pack()
    {
        int words = _tables.Length;
        foreach (Parameter table in _tables)
        {
            words += Grad(table).Count * (1 + table.RowWidth);
        }

        Span<int> ints = ExchangeBuffers.Words<int>(ref _send, words);
        int at = 0;
        foreach (Parameter table in _tables)
        {
            ints[at++] = Grad(table).Count;
        }

        foreach (Parameter table in _tables)
        {
            RowGradient grad = Grad(table);
            grad.Rows.AsSpan(0, grad.Count).CopyTo(ints[at..]);
            at += grad.Count;
        }

        foreach (Parameter table in _tables)
        {
            RowGradient grad = Grad(table);
            int length = grad.Count * grad.Width;
            MemoryMarshal.Cast<float, int>(grad.Values.AsSpan(0, length)).CopyTo(ints[at..]);
            at += length;
        }

        return 4 * words;
    }

    /// <summary>Replaces each table's gradient by the sum of every rank's, rank by rank.</summary>
    private void Merge(int[] counts)
    {
        foreach (Parameter table in _tables)
        {
            Grad(table).Clear();
        }

        int offset = 0;
        Span<int> perTable = stackalloc int[_tables.Length];
        foreach (int bytes in counts)
        {
            ReadOnlySpan<int> ints = MemoryMarshal.Cast<byte, int>(_receive.AsSpan(offset, bytes));
            ReadOnlySpan<float> floats = MemoryMarshal.Cast<byte, float>(_receive.AsSpan(offset, bytes));
            ints[.._tables.Length].CopyTo(perTable);
            int rowsAt = _tables.Length, valuesAt = rowsAt;
            foreach (int n in perTable)
            {
                valuesAt += n;
            }

            for (int t = 0; t < _tables.Length; t++)
            {
                RowGradient grad = Grad(_tables[t]);
                int width = grad.Width;
                for (int i = 0; i < perTable[t]; i++)
                {
                    Span<float> row = grad.Row(ints[rowsAt + i]);
                    TensorPrimitives.Add(row, floats.Slice(valuesAt + i * width, width), row);
                }

                rowsAt += perTable[t];
                valuesAt += perTable[t] * width;
            }

            offset += bytes;
        }
    }

    private static RowGradient Grad(Parameter table) =>
        table.RowGrad ?? throw new InvalidOperationException($"table '{table.Name}' has no row gradient: the model is not prepared for training");
}
