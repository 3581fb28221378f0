using System.Diagnostics;
using System.Threading.Channels;
using Clickwise.Inference;

namespace Clickwise.Serving;

/// <summary>
/// Coalesces concurrent requests to one model version into single compiled-plan calls: a queue bounded by the requests
/// queued or being scored (at the bound a request is refused at once, so load is shed instead of queued forever),
/// drained by one worker per thread, each with its own tape. A worker holding a request waits up to <see cref="ServeOptions.BatchWait"/> for more, but only while
/// other requests are still being parsed for this model (<see cref="BeginArrival"/>): a lone request runs at once.
/// </summary>
internal sealed class MicroBatcher
{
    private readonly CompiledModel _plan;
    private readonly Channel<BatchItem> _queue;
    private readonly int _maxRows;
    private readonly long _waitTicks;
    private readonly Action<int> _onBatch;
    private readonly int _capacity;
    private readonly Task[] _workers;
    private readonly InferenceTape _inlineTape;
    private int _arriving;
    private int _inFlight;

    /// <param name="onBatch">Called with each plan call's row count (metrics).</param>
    public MicroBatcher(CompiledModel plan, ServeOptions options, Action<int> onBatch)
    {
        _plan = plan;
        _maxRows = options.MaxBatchRows;
        _waitTicks = (long)(options.BatchWait.TotalSeconds * Stopwatch.Frequency);
        _onBatch = onBatch;
        _capacity = options.QueueCapacity;
        _queue = Channel.CreateUnbounded<BatchItem>();
        _inlineTape = plan.CreateTape(_maxRows);
        _workers = [.. Enumerable.Range(0, options.Threads).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning))];
    }

    /// <summary>Requests queued or being scored.</summary>
    public int Depth => Volatile.Read(ref _inFlight);

    /// <summary>A request for this model is being parsed: workers may wait for it. Pair with <see cref="EndArrival"/>.</summary>
    public void BeginArrival() => Interlocked.Increment(ref _arriving);

    public void EndArrival() => Interlocked.Decrement(ref _arriving);

    /// <summary>Requests being read and parsed for this model.</summary>
    public int Arriving => Volatile.Read(ref _arriving);

    /// <summary>Queues <paramref name="item"/>; false when the queue is at its bound.</summary>
    /// <remarks>A held <see cref="ServedModel"/> never drains, so its queue is open to the requests that hold it.</remarks>
    public bool TryEnqueue(BatchItem item)
    {
        if (Interlocked.Increment(ref _inFlight) > _capacity)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return _queue.Writer.TryWrite(item) ? true : throw new InvalidOperationException("a request was queued for a drained model version");
    }

    /// <summary>
    /// Scores <paramref name="item"/> on the calling thread when it is alone — nothing queued, scored or arriving besides
    /// it — so a lone request skips the hand-off to a worker and back; false otherwise (queue it). At most one request
    /// runs here at a time, on its own tape, and only while no worker scores.
    /// </summary>
    public bool TryRunInline(BatchItem item)
    {
        if (Volatile.Read(ref _arriving) != 1 || Interlocked.CompareExchange(ref _inFlight, 1, 0) != 0)
        {
            return false;
        }

        item.TryTake();
        RunAlone(item, _inlineTape);
        return true;
    }

    /// <summary>Takes no more requests and completes when every queued one is answered.</summary>
    public Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        return Task.WhenAll(_workers);
    }

    private void Work()
    {
        int f = _plan.FieldCount;
        InferenceTape tape = _plan.CreateTape(_maxRows);
        int[] ids = new int[_maxRows * f];
        float[] values = new float[_maxRows * f];
        float[] logits = new float[_maxRows];
        var batch = new List<BatchItem>();
        BatchItem? carry = null;
        while (carry is not null || Next(out carry))
        {
            BatchItem first = carry!;
            carry = null;
            if (!first.TryTake())
            {
                Interlocked.Decrement(ref _inFlight); // abandoned past its deadline
                continue;
            }

            if (!first.FitsIn(_maxRows - 1))
            {
                RunAlone(first, tape);
                continue;
            }

            batch.Clear();
            batch.Add(first);
            int rows = first.Rows.Rows;
            long until = Stopwatch.GetTimestamp() + _waitTicks;
            while (rows < _maxRows)
            {
                if (_queue.Reader.TryRead(out BatchItem? next))
                {
                    if (!next.FitsIn(_maxRows - rows))
                    {
                        carry = next;
                        break;
                    }

                    if (next.TryTake())
                    {
                        batch.Add(next);
                        rows += next.Rows.Rows;
                    }
                    else
                    {
                        Interlocked.Decrement(ref _inFlight);
                    }

                    continue;
                }

                if (Volatile.Read(ref _arriving) == 0 || Stopwatch.GetTimestamp() >= until)
                {
                    break;
                }

                Thread.Yield(); // let the threads parsing those requests run (two cores are shared)
            }

            if (batch.Count == 1)
            {
                RunAlone(first, tape);
            }
            else
            {
                RunBatch(batch, rows, ids, values, logits, tape);
            }
        }
    }

    /// <summary>Blocks until an item is queued; false once the queue is completed and empty.</summary>
    private bool Next(out BatchItem? item)
    {
        while (!_queue.Reader.TryRead(out item))
        {
            if (!_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                return false;
            }
        }

        return true;
    }

    private void RunAlone(BatchItem item, InferenceTape tape)
    {
        try
        {
            EncodedRows rows = item.Rows;
            _plan.PredictLogits(rows.Ids, rows.Values, rows.Extras is { } extras ? extras.InUse : default, rows.Rows, item.Logits, tape);
            _onBatch(rows.Rows);
            Answer(item, null);
        }
        catch (Exception e)
        {
            Answer(item, e);
        }
    }

    private void RunBatch(List<BatchItem> batch, int rows, int[] ids, float[] values, float[] logits, InferenceTape tape)
    {
        try
        {
            int f = _plan.FieldCount;
            bool weighted = batch.Exists(item => item.Rows.Values is not null);
            int at = 0;
            foreach (BatchItem item in batch)
            {
                int n = item.Rows.Rows * f;
                item.Rows.Ids.CopyTo(ids.AsSpan(at));
                if (weighted)
                {
                    if (item.Rows.Values is { } v)
                    {
                        v.CopyTo(values.AsSpan(at));
                    }
                    else
                    {
                        values.AsSpan(at, n).Fill(1f);
                    }
                }

                at += n;
            }

            _plan.PredictLogits(ids.AsSpan(0, at), weighted ? values.AsSpan(0, at) : default, rows, logits, tape);
            _onBatch(rows);
            int row = 0;
            foreach (BatchItem item in batch)
            {
                logits.AsSpan(row, item.Logits.Length).CopyTo(item.Logits);
                row += item.Logits.Length;
                Answer(item, null);
            }
        }
        catch (Exception e)
        {
            batch.ForEach(item => Answer(item, e));
        }
    }

    private void Answer(BatchItem item, Exception? error)
    {
        Interlocked.Decrement(ref _inFlight);
        if (error is null)
        {
            item.Done.TrySetResult();
        }
        else
        {
            item.Done.TrySetException(error);
        }
    }
}
