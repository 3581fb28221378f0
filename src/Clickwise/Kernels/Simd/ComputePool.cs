namespace Clickwise.Kernels.Simd;

/// <summary>
/// Long-lived compute workers with a spin-then-sleep handoff. On 2 shared vCPUs this is steadier than
/// <c>Parallel.For</c>: no task scheduling, no work stealing, and part p always runs the same fixed range.
/// The caller runs part 0 itself; one job at a time (callers that find the pool busy run their parts inline).
/// </summary>
internal sealed class ComputePool
{
    // ~50-100 µs of spinning covers the gap between consecutive kernels of a training step; after that a
    // worker sleeps so idle processes do not burn a shared core.
    private const int SpinLimit = 200;

    private readonly object _gate = new();
    private readonly List<Thread> _threads = [];
    private long[] _assigned = new long[1];
    private long _generation;
    private int _sleepers;
    private int _pending;
    private int _busy;
    private IComputeJob? _job;
    private int _partCount;
    private Exception? _error;

    public static ComputePool Shared { get; } = new();

    /// <summary>Claims the pool for one <see cref="Run"/>; false when another caller holds it.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>Runs parts 0..partCount-1 and returns when all are done. The caller must hold the pool.</summary>
    public void Run(IComputeJob job, int partCount)
    {
        if (partCount <= 1)
        {
            job.Run(0, 1);
            return;
        }

        EnsureWorkers(partCount - 1);
        _job = job;
        _partCount = partCount;
        _error = null;
        Volatile.Write(ref _pending, partCount - 1);
        long generation = _generation + 1;
        for (int w = 1; w < partCount; w++)
        {
            _assigned[w] = generation;
        }

        // Interlocked gives the full fence that pairs with the worker's fence on _sleepers (Dekker): either the
        // worker sees the new generation, or we see it asleep and wake it.
        Interlocked.Exchange(ref _generation, generation);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        Exception? own = null;
        try
        {
            job.Run(0, partCount);
        }
        catch (Exception e)
        {
            own = e;
        }

        var spin = default(SpinWait);
        while (Volatile.Read(ref _pending) != 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        _job = null;
        Exception? error = own ?? _error;
        if (error is not null)
        {
            throw new AggregateException("A compute part failed.", error);
        }
    }

    private void EnsureWorkers(int count)
    {
        if (_threads.Count >= count)
        {
            return;
        }

        var assigned = new long[count + 1];
        _assigned.AsSpan().CopyTo(assigned);
        _assigned = assigned;
        while (_threads.Count < count)
        {
            int index = _threads.Count + 1;
            // The generation is read here, not on the new thread: a job posted before the thread first runs
            // must still count as new to it.
            long seen = Volatile.Read(ref _generation);
            var thread = new Thread(() => WorkerLoop(index, seen))
            {
                IsBackground = true,
                Name = $"clickwise-compute-{index}",
            };
            _threads.Add(thread);
            thread.Start();
        }
    }

    private void WorkerLoop(int index, long seen)
    {
        while (true)
        {
            long generation;
            int spins = 0;
            while ((generation = Volatile.Read(ref _generation)) == seen)
            {
                if (++spins < SpinLimit)
                {
                    Thread.SpinWait(40);
                    continue;
                }

                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen)
                    {
                        Monitor.Wait(_gate);
                    }

                    Interlocked.Decrement(ref _sleepers);
                }

                spins = 0;
            }

            seen = generation;
            long[] assigned = _assigned;
            if (index >= assigned.Length || Volatile.Read(ref assigned[index]) != generation)
            {
                continue;
            }

            try
            {
                _job!.Run(index, _partCount);
            }
            catch (Exception e)
            {
                _error = e;
            }

            Interlocked.Decrement(ref _pending);
        }
    }
}
