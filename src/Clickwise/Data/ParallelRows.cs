using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Clickwise.Data;

/// <summary>
/// The parallel shape of both preparation passes. The calling thread parses, so reading stays exactly a single
/// reader's (errors name file:line, strict and lenient modes and the bad-line limit behave as before), and copies rows
/// into pooled batches; every worker sees every batch and does its share of it (its fields when counting, its rows
/// when encoding). The worker that finishes a batch last hands it to <c>complete</c>: since each worker takes batches
/// in reading order, <c>complete</c> sees the batches one at a time in reading order (the cache is written in order).
/// With one worker there is no other thread and no copy: the reading thread works row by row.
/// </summary>
public static class ParallelRows
{
    /// <summary>Rows per batch between threads: large enough to make the hand-over cheap, small enough to stay in the caches.</summary>
    private const int BatchRows = 2048;

    private const int BatchesPerWorker = 4;

    /// <summary>The most rows a batch holds with <paramref name="workers"/> workers (one: the row being read).</summary>
    public static int RowsPerBatch(int workers) => workers == 1 ? 1 : BatchRows;

    /// <summary>The batches in flight for <paramref name="workers"/> workers: <see cref="RowBatch.Slot"/> is below it.</summary>
    public static int PoolSize(int workers) => workers == 1 ? 1 : BatchesPerWorker * workers + 1;

    /// <summary>
    /// Reads <paramref name="reader"/> to its end; the rows whose index (0-based, in reading order) <paramref name="include"/>
    /// accepts go to <paramref name="work"/>(worker, batch) on each of <paramref name="workers"/> threads, then to
    /// <paramref name="complete"/>. Returns the rows read, included or not. The first failure, of the reader or of a worker,
    /// stops all threads and is thrown here.
    /// </summary>
    public static long Run(IRecordReader reader, Func<long, bool> include, int workers, Action<int, RowBatch> work, Action<RowBatch>? complete = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (workers == 1)
        {
            return RunHere(reader, include, work, complete);
        }

        int fieldCount = reader.Schema.FieldCount;
        using var free = new BlockingCollection<RowBatch>();
        for (int slot = 0; slot < PoolSize(workers); slot++)
        {
            free.Add(new RowBatch(slot, fieldCount, BatchRows));
        }

        var queues = new BlockingCollection<RowBatch>[workers];
        var threads = new Thread[workers];
        using var cancel = new CancellationTokenSource();
        Exception? failure = null;
        for (int w = 0; w < workers; w++)
        {
            int worker = w;
            queues[w] = [];
            threads[w] = new Thread(() =>
            {
                try
                {
                    foreach (RowBatch batch in queues[worker].GetConsumingEnumerable(cancel.Token))
                    {
                        work(worker, batch);
                        if (batch.FinishOne())
                        {
                            complete?.Invoke(batch);
                            free.Add(batch);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    // Another thread failed first; its exception is the one thrown.
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    cancel.Cancel();
                }
            })
            { IsBackground = true, Name = $"prepare worker {w}" };
            threads[w].Start();
        }

        long rows;
        try
        {
            rows = Feed(reader, include, free, queues, cancel.Token);
        }
        catch (OperationCanceledException) when (failure is not null)
        {
            rows = 0; // a worker failed: its exception is thrown below
        }
        catch
        {
            cancel.Cancel();
            Stop(queues, threads);
            throw;
        }

        Stop(queues, threads);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return rows;
    }

    /// <summary>One worker: the reading thread does the work row by row on the record it reads into, with no copy.</summary>
    private static long RunHere(IRecordReader reader, Func<long, bool> include, Action<int, RowBatch> work, Action<RowBatch>? complete)
    {
        var record = new RawRecord(reader.Schema.FieldCount);
        RowBatch row = RowBatch.Of(record);
        long index = 0;
        while (reader.Read(record))
        {
            if (include(index))
            {
                work(0, row);
                complete?.Invoke(row);
            }

            index++;
        }

        return index;
    }

    private static long Feed(IRecordReader reader, Func<long, bool> include, BlockingCollection<RowBatch> free,
                             BlockingCollection<RowBatch>[] queues, CancellationToken cancel)
    {
        var record = new RawRecord(reader.Schema.FieldCount);
        RowBatch batch = Next(free, cancel);
        long row = 0;
        while (reader.Read(record))
        {
            if (include(row))
            {
                batch.Add(record);
                if (batch.IsFull)
                {
                    Post(batch, queues);
                    batch = Next(free, cancel);
                }
            }

            row++;
        }

        if (batch.Count > 0)
        {
            Post(batch, queues);
        }

        return row;
    }

    private static RowBatch Next(BlockingCollection<RowBatch> free, CancellationToken cancel)
    {
        RowBatch batch = free.Take(cancel);
        batch.Clear();
        return batch;
    }

    private static void Post(RowBatch batch, BlockingCollection<RowBatch>[] queues)
    {
        batch.Start(queues.Length);
        foreach (BlockingCollection<RowBatch> queue in queues)
        {
            queue.Add(batch);
        }
    }

    private static void Stop(BlockingCollection<RowBatch>[] queues, Thread[] threads)
    {
        foreach (BlockingCollection<RowBatch> queue in queues)
        {
            queue.CompleteAdding();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        foreach (BlockingCollection<RowBatch> queue in queues)
        {
            queue.Dispose();
        }
    }
}
