using System.Diagnostics;
using Clickwise.Layers;
using Clickwise.Training;

namespace Clickwise.Distributed;

/// <summary>
/// Sums the dense gradients over the ranks in a few fused allreduces (Horovod's tensor fusion): the gradients are
/// packed into buffers of up to <see cref="FusedFloats"/> floats, so a model of many small tensors pays a few
/// latencies, not one per tensor. The last buffer also carries the step's loss and rows.
/// </summary>
internal sealed class DenseGradientReducer
{
    /// <summary>4 MB per allreduce: large enough for bandwidth, small enough that packing stays in cache-sized pieces.</summary>
    internal const int FusedFloats = 1 << 20;

    private readonly ICommunicator _communicator;
    private readonly CommunicationStats _stats;
    private readonly float[] _buffer;

    // The gradient pieces packed into the buffer since the last flush.
    private readonly List<(float[] Grad, int Start, int Count)> _pending = [];

    public DenseGradientReducer(ICommunicator communicator, ParameterSet parameters, CommunicationStats stats)
    {
        _communicator = communicator;
        _stats = stats;
        long dense = parameters.Where(p => p.Grad is not null).Sum(p => (long)p.Length);
        _buffer = new float[(int)Math.Min(FusedFloats, dense + 2)];
    }

    public StepTotals Reduce(ParameterSet parameters, double loss, int rows)
    {
        // A barrier first splits the step's time in collectives into waiting for the slowest rank and moving bytes.
        var clock = Stopwatch.StartNew();
        _communicator.Barrier();
        _stats.WaitTime += clock.Elapsed;
        clock.Restart();
        int used = 0;
        foreach (Parameter p in parameters)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            for (int start = 0; start < grad.Length;)
            {
                if (used == _buffer.Length)
                {
                    Flush(used);
                    used = 0;
                }

                int count = Math.Min(grad.Length - start, _buffer.Length - used);
                grad.AsSpan(start, count).CopyTo(_buffer.AsSpan(used));
                _pending.Add((grad, start, count));
                used += count;
                start += count;
            }
        }

        if (used + 2 > _buffer.Length)
        {
            Flush(used);
            used = 0;
        }

        _buffer[used] = (float)(loss * rows);
        _buffer[used + 1] = rows;
        Flush(used + 2);
        (double lossSum, int totalRows) = (_buffer[used], (int)_buffer[used + 1]);
        _stats.DenseTime += clock.Elapsed;
        return new StepTotals(lossSum / totalRows, totalRows);
    }

    /// <summary>Sums the first <paramref name="count"/> floats over the ranks and puts each pending gradient piece back.</summary>
    private void Flush(int count)
    {
        _communicator.AllreduceSum(_buffer.AsSpan(0, count));
        _stats.DenseBytes += 4L * count;
        int at = 0;
        foreach ((float[] grad, int start, int n) in _pending)
        {
            _buffer.AsSpan(at, n).CopyTo(grad.AsSpan(start));
            at += n;
        }

        _pending.Clear();
    }
}
