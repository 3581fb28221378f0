using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Clickwise.Data;
using Clickwise.IO;
using Clickwise.Layers;
using Clickwise.Training;
using Clickwise.Training.Optimizers;

namespace Clickwise.Distributed;

/// <summary>
/// Data parallelism with row-wise sharded tables (TorchRec's row-wise sharding): each table row belongs to one rank
/// (<see cref="RowOwnership"/>), which alone updates it and its optimizer state. Before the forward pass a rank asks
/// the owners for the rows its batch reads (alltoallv of ids, then of rows); after the backward pass it sends the
/// gradients of those rows back to their owners (alltoallv), which sum them over the ranks and step. Dense
/// gradients are summed like <see cref="ReplicatedTables"/> does. <see cref="Synchronize"/> gathers every owner's
/// rows and optimizer state to every rank, for validation and checkpoints.
/// </summary>
/// <remarks>
/// The owner's step sees the sum of every rank's gradient rows, the same rows and sums as one process on the
/// concatenated batch. Each rank still allocates whole tables (the rows it fetched live in them between fetch and
/// step): what is sharded is the updates, the optimizer's work and the traffic, not yet the memory.
/// </remarks>
public sealed class RowShardedTables : IGradientExchange
{
    private readonly ICommunicator _communicator;
    private readonly Parameter[] _tables;
    private readonly int _rowCount;
    private readonly int _rowFloats;
    private readonly int[] _ownedCounts;
    private readonly DenseGradientReducer _dense;

    // Unique rows of the batch grouped by owner (this rank's requests), and the rows other ranks asked this one for.
    private readonly int[] _seenAt;
    private readonly int[] _requestCounts;
    private readonly int[] _servedCounts;
    private int[] _unique = [];
    private int[] _requested = [];
    private int[] _served = [];
    private int _step;
    private byte[] _send = [];
    private byte[] _receive = [];

    public RowShardedTables(ICommunicator communicator, ParameterSet parameters)
    {
        _communicator = communicator;
        _tables = [.. parameters.Where(p => p.IsRowSparse)];
        _rowCount = _tables.Length == 0 ? 0 : _tables[0].RowCount;
        if (_tables.FirstOrDefault(t => t.RowCount != _rowCount) is { } other)
        {
            throw new ArgumentException($"row-sharded tables must all be indexed by feature id: '{_tables[0].Name}' has {_rowCount:N0} rows, "
                + $"'{other.Name}' {other.RowCount:N0}; train this model with replicated tables");
        }

        _rowFloats = _tables.Sum(t => t.RowWidth);
        _ownedCounts = RowOwnership.Counts(_rowCount, communicator.Size);
        _dense = new DenseGradientReducer(communicator, parameters, Stats);
        _seenAt = new int[_rowCount];
        _seenAt.AsSpan().Fill(-1);
        _requestCounts = new int[communicator.Size];
        _servedCounts = new int[communicator.Size];
    }

    public int Ranks => _communicator.Size;

    public CommunicationStats Stats { get; } = new();

    /// <summary>Fetches the rows <paramref name="batch"/> reads from their owners into this rank's tables.</summary>
    public void BeforeForward(Batch batch, ParameterSet parameters)
    {
        if (batch.Extras.Count > 0)
        {
            throw new NotSupportedException("row-sharded tables take one-hot data; train multi-hot fields with replicated tables");
        }

        var clock = Stopwatch.StartNew();
        GroupByOwner(batch.IdsInUse);
        _communicator.Alltoall(_requestCounts, _servedCounts);
        int served = _servedCounts.Sum();
        ExchangeBuffers.Grow(ref _served, served);
        _communicator.AlltoallV(MemoryMarshal.AsBytes(_requested.AsSpan(0, _requestCounts.Sum())), Bytes(_requestCounts, 1),
            MemoryMarshal.AsBytes(_served.AsSpan(0, served)), Bytes(_servedCounts, 1));

        Span<float> rows = ExchangeBuffers.Words<float>(ref _send, served * _rowFloats);
        for (int i = 0; i < served; i++)
        {
            int at = i * _rowFloats;
            foreach (Parameter table in _tables)
            {
                table.Value.AsSpan(_served[i] * table.RowWidth, table.RowWidth).CopyTo(rows[at..]);
                at += table.RowWidth;
            }
        }

        int requested = _requestCounts.Sum();
        Span<float> fetched = ExchangeBuffers.Words<float>(ref _receive, requested * _rowFloats);
        _communicator.AlltoallV(MemoryMarshal.AsBytes(rows), Bytes(_servedCounts, _rowFloats), MemoryMarshal.AsBytes(fetched), Bytes(_requestCounts, _rowFloats));
        for (int i = 0; i < requested; i++)
        {
            int at = i * _rowFloats;
            foreach (Parameter table in _tables)
            {
                fetched.Slice(at, table.RowWidth).CopyTo(table.Value.AsSpan(_requested[i] * table.RowWidth));
                at += table.RowWidth;
            }
        }

        Stats.EmbeddingBytes += 4L * (requested + served * _rowFloats);
        Stats.EmbeddingTime += clock.Elapsed;
    }

    /// <summary>Sums the dense gradients, and sends the fetched rows' gradients to their owners, which sum them.</summary>
    public StepTotals Reduce(ParameterSet parameters, double loss, int rows)
    {
        StepTotals totals = _dense.Reduce(parameters, loss, rows);
        var clock = Stopwatch.StartNew();
        int requested = _requestCounts.Sum(), served = _servedCounts.Sum();
        Span<float> grads = ExchangeBuffers.Words<float>(ref _send, requested * _rowFloats);
        for (int i = 0; i < requested; i++)
        {
            int at = i * _rowFloats;
            foreach (Parameter table in _tables)
            {
                RowGradient grad = Grad(table);
                int slot = grad.SlotOf(_requested[i]);
                Span<float> target = grads.Slice(at, table.RowWidth);
                if (slot >= 0)
                {
                    grad.SlotValues(slot).CopyTo(target);
                }
                else
                {
                    target.Clear();
                }

                at += table.RowWidth;
            }
        }

        Span<float> received = ExchangeBuffers.Words<float>(ref _receive, served * _rowFloats);
        _communicator.AlltoallV(MemoryMarshal.AsBytes(grads), Bytes(_requestCounts, _rowFloats), MemoryMarshal.AsBytes(received), Bytes(_servedCounts, _rowFloats));
        foreach (Parameter table in _tables)
        {
            Grad(table).Clear();
        }

        for (int i = 0; i < served; i++)
        {
            int at = i * _rowFloats;
            foreach (Parameter table in _tables)
            {
                Span<float> row = Grad(table).Row(_served[i]);
                TensorPrimitives.Add(row, received.Slice(at, table.RowWidth), row);
                at += table.RowWidth;
            }
        }

        Stats.EmbeddingBytes += 4L * requested * _rowFloats;
        Stats.EmbeddingTime += clock.Elapsed;
        Stats.Steps++;
        return totals;
    }

    /// <summary>Gives every rank every owner's rows of the tables and of their optimizer state.</summary>
    public void Synchronize(ParameterSet parameters, IOptimizer optimizer)
    {
        var clock = Stopwatch.StartNew();
        foreach (Parameter table in _tables)
        {
            GatherOwnedRows(MemoryMarshal.Cast<float, int>(table.Value.AsSpan()), table.RowWidth);
        }

        var names = _tables.Select(t => "/" + t.Name).ToArray();
        var state = new List<ModelTensor>();
        foreach (ModelTensor tensor in optimizer.ExportState(parameters))
        {
            bool perRow = tensor.Shape.Length > 0 && tensor.Shape[0] == _rowCount && names.Any(n => tensor.Name.EndsWith(n, StringComparison.Ordinal));
            if (perRow && tensor.DType == TensorDType.Float32)
            {
                float[] rows = tensor.Float32Data.ToArray();
                GatherOwnedRows(MemoryMarshal.Cast<float, int>(rows.AsSpan()), rows.Length / _rowCount);
                state.Add(ModelTensor.Float32(tensor.Name, tensor.Role, tensor.Shape, rows));
            }
            else if (perRow && tensor.DType == TensorDType.Int32)
            {
                int[] rows = tensor.Int32Data.ToArray();
                GatherOwnedRows(rows, rows.Length / _rowCount);
                state.Add(ModelTensor.Int32(tensor.Name, tensor.Role, tensor.Shape, rows));
            }
            else
            {
                state.Add(tensor);
            }
        }

        optimizer.ImportState(parameters, state);
        Stats.EmbeddingTime += clock.Elapsed;
    }

    /// <summary>The unique rows of <paramref name="ids"/>, grouped by owner in rank order, into <see cref="_requested"/>.</summary>
    private void GroupByOwner(ReadOnlySpan<int> ids)
    {
        // _seenAt[row] == _step marks a row already listed this step; the stamp moves on instead of clearing.
        if (++_step == int.MaxValue)
        {
            _seenAt.AsSpan().Fill(-1);
            _step = 0;
        }

        ExchangeBuffers.Grow(ref _unique, ids.Length);
        int unique = 0;
        Array.Clear(_requestCounts);
        foreach (int row in ids)
        {
            if (_seenAt[row] != _step)
            {
                _seenAt[row] = _step;
                _unique[unique++] = row;
                _requestCounts[RowOwnership.Owner(row, Ranks)]++;
            }
        }

        ExchangeBuffers.Grow(ref _requested, unique);
        Span<int> next = stackalloc int[Ranks];
        for (int r = 1; r < Ranks; r++)
        {
            next[r] = next[r - 1] + _requestCounts[r - 1];
        }

        foreach (int row in _unique.AsSpan(0, unique))
        {
            _requested[next[RowOwnership.Owner(row, Ranks)]++] = row;
        }
    }

    /// <summary>Overwrites every row of a [rows, width] array of 4-byte words with its owner's, in one allgatherv.</summary>
    private void GatherOwnedRows(Span<int> words, int width)
    {
        int me = _communicator.Rank;
        Span<int> mine = ExchangeBuffers.Words<int>(ref _send, _ownedCounts[me] * width);
        int at = 0;
        for (int row = 0; row < _rowCount; row++)
        {
            if (RowOwnership.Owner(row, Ranks) == me)
            {
                words.Slice(row * width, width).CopyTo(mine[at..]);
                at += width;
            }
        }

        int[] counts = [.. _ownedCounts.Select(c => 4 * c * width)];
        Span<int> all = ExchangeBuffers.Words<int>(ref _receive, _ownedCounts.Sum() * width);
        _communicator.AllgatherV(MemoryMarshal.AsBytes(mine), MemoryMarshal.AsBytes(all), counts);
        Span<int> cursor = stackalloc int[Ranks];
        for (int r = 1; r < Ranks; r++)
        {
            cursor[r] = cursor[r - 1] + _ownedCounts[r - 1] * width;
        }

        for (int row = 0; row < _rowCount; row++)
        {
            int owner = RowOwnership.Owner(row, Ranks);
            all.Slice(cursor[owner], width).CopyTo(words.Slice(row * width, width));
            cursor[owner] += width;
        }

        Stats.EmbeddingBytes += 4L * mine.Length;
    }

    private static RowGradient Grad(Parameter table) =>
        table.RowGrad ?? throw new InvalidOperationException($"table '{table.Name}' has no row gradient: the model is not prepared for training");

    private static int[] Bytes(int[] counts, int wordsPerItem) => [.. counts.Select(c => 4 * c * wordsPerItem)];
}
