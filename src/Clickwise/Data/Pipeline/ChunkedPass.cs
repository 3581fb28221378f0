using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Clickwise.Data.Readers;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// One pass over a <see cref="ChunkedInput"/> on all its threads: a reader thread cuts the text into chunks, each worker
/// parses whole chunks with a reader of its own (rows never cross threads: a row parsed on a core is used on that core),
/// and the calling thread commits the results in chunk order. Whatever a sequential read would do in file order happens
/// here in chunk order too: bad lines are summed and the file's bad-line limit checked as if one reader read them, and
/// the first error (a strict bad line, an empty or unreadable file) is the one raised. So the outcome does not depend on the thread count.
/// </summary>
internal sealed class ChunkedPass<TResult> : IDisposable
{
    private readonly ChunkedInput _input;
    private readonly TextChunker _chunker;
    private readonly BlockingCollection<TextChunk> _queue;
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new(); // a monitor: threads wait on it for chunks and row counts
    private readonly Dictionary<long, Parsed> _done = [];
    private readonly Dictionary<long, long> _rowsOf = [];
    private readonly Dictionary<long, long> _startOf = [];
    private long _prefixIndex;
    private long _prefixRows;
    private long _chunksCut = -1;
    private Exception? _readerError;

    private ChunkedPass(ChunkedInput input)
    {
        _input = input;
        _chunker = new TextChunker(input.Files, input.Progress, input.ChunkBytes);
        int inFlight = 2 * input.Threads + 2;
        _inFlight = new SemaphoreSlim(inFlight);
        _queue = new BlockingCollection<TextChunk>(inFlight);
    }

    /// <summary>
    /// Runs one worker per thread over the input; <paramref name="commit"/> sees each chunk's result on the calling
    /// thread, in input order. Returns the pass's line statistics (those one reader of the whole input would give).
    /// </summary>
    public static BadLineStats Run(ChunkedInput input, Func<IChunkWorker<TResult>> newWorker, Action<TResult> commit)
    {
        using var pass = new ChunkedPass<TResult>(input);
        return pass.Execute(newWorker, commit);
    }

    private BadLineStats Execute(Func<IChunkWorker<TResult>> newWorker, Action<TResult> commit)
    {
        var threads = new List<Thread> { Start(Cut, "prepare: chunker") };
        for (int t = 0; t < _input.Threads; t++)
        {
            IChunkWorker<TResult> worker = newWorker();
            threads.Add(Start(() => Work(worker), $"prepare: worker {t}"));
        }

        try
        {
            return CommitInOrder(commit);
        }
        finally
        {
            _stop.Cancel();
            foreach (Thread thread in threads)
            {
                thread.Join();
            }
        }
    }

    private static Thread Start(Action body, string name)
    {
        var thread = new Thread(() => body()) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    private void Cut()
    {
        long cut = 0;
        try
        {
            while (true)
            {
                _inFlight.Wait(_stop.Token);
                TextChunk? chunk = _chunker.Next();
                if (chunk is null)
                {
                    break;
                }

                _queue.Add(chunk, _stop.Token);
                cut++;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            _readerError = e;
        }
        finally
        {
            _queue.CompleteAdding();
        }

        lock (_gate)
        {
            _chunksCut = cut;
            Monitor.PulseAll(_gate);
        }
    }

    private void Work(IChunkWorker<TResult> worker)
    {
        try
        {
            foreach (TextChunk chunk in _queue.GetConsumingEnumerable(_stop.Token))
            {
                Parsed parsed = Parse(worker, chunk);
                lock (_gate)
                {
                    _done[chunk.Index] = parsed;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Parsed Parse(IChunkWorker<TResult> worker, TextChunk chunk)
    {
        var parsed = new Parsed(chunk);
        bool published = false;
        try
        {
            using TextRecordReader reader = _input.OpenChunk(chunk, parsed.BadLines);
            parsed.Stats = reader.Stats;
            parsed.Result = worker.Process(reader, chunk.Buffer, rows =>
            {
                published = true;
                return FirstRow(chunk.Index, rows);
            });
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            parsed.Error = e;
        }

        if (!published)
        {
            Publish(chunk.Index, parsed.Stats.RowsParsed);
        }

        return parsed;
    }

    private void Publish(long index, long rows)
    {
        lock (_gate)
        {
            _rowsOf[index] = rows;
            while (_rowsOf.Remove(_prefixIndex, out long count))
            {
                _startOf[_prefixIndex] = _prefixRows;
                _prefixRows += count;
                _prefixIndex++;
            }

            Monitor.PulseAll(_gate);
        }
    }

    private long FirstRow(long index, long rows)
    {
        Publish(index, rows);
        lock (_gate)
        {
            long start;
            while (!_startOf.TryGetValue(index, out start))
            {
                Wait();
            }

            return start;
        }
    }

    /// <summary>Waits for another thread's pulse; a short timeout notices a stop requested meanwhile.</summary>
    private void Wait()
    {
        Monitor.Wait(_gate, 50);
        _stop.Token.ThrowIfCancellationRequested();
    }

    private BadLineStats CommitInOrder(Action<TResult> commit)
    {
        var stats = new BadLineStats();
        var limit = new BadLineLimit(_input.Options.MaxBadRatio, _input.Options.MinLinesForRatio);
        bool strict = _input.Options.Strict;
        long fileLines = 0;
        long fileSkipped = 0;
        for (long index = 0; ; index++)
        {
            Parsed? parsed = Next(index);
            if (parsed is null)
            {
                if (_readerError is not null)
                {
                    ExceptionDispatchInfo.Throw(_readerError);
                }

                return stats;
            }

            TextChunk chunk = parsed.Chunk;
            foreach (BadLine bad in parsed.BadLines)
            {
                fileSkipped++;
                if (!strict)
                {
                    limit.Check(chunk.Source, bad.LineNumber, fileSkipped, fileLines + bad.LinesRead, atEnd: false);
                }
            }

            if (parsed.Error is not null)
            {
                ExceptionDispatchInfo.Throw(parsed.Error);
            }

            stats.Add(parsed.Stats);
            fileLines += parsed.Stats.LinesRead;
            if (chunk.EndsFile)
            {
                if (!strict)
                {
                    limit.Check(chunk.Source, 0, fileSkipped, fileLines, atEnd: true);
                }

                fileLines = fileSkipped = 0;
            }

            commit(parsed.Result!);
            _input.Progress?.AddRows(parsed.Stats.RowsParsed);
            _chunker.Return(chunk);
            _inFlight.Release();
        }
    }

    /// <summary>The parsed chunk <paramref name="index"/>, once a worker has it; null when the input had fewer chunks.</summary>
    private Parsed? Next(long index)
    {
        lock (_gate)
        {
            while (true)
            {
                if (_done.Remove(index, out Parsed? parsed))
                {
                    _startOf.Remove(index);
                    return parsed;
                }

                if (_chunksCut >= 0 && index >= _chunksCut)
                {
                    return null;
                }

                Wait();
            }
        }
    }

    public void Dispose()
    {
        _chunker.Dispose();
        _queue.Dispose();
        _inFlight.Dispose();
        _stop.Dispose();
    }

    private sealed class Parsed(TextChunk chunk)
    {
        public TextChunk Chunk { get; } = chunk;

        public List<BadLine> BadLines { get; } = [];

        public BadLineStats Stats { get; set; } = new();

        public TResult? Result { get; set; }

        public Exception? Error { get; set; }
    }
}
