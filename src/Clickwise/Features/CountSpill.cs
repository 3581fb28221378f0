namespace Clickwise.Features;

/// <summary>
/// Keeps the vocabulary pass's counts within a memory budget, exactly: a builder whose count tables would outgrow its
/// share writes them out as a sorted run (<see cref="CountRunWriter"/>) and empties them, and at the end the runs are
/// merged (k-way, by hash, summing counts) into the tokens that reach their min count. The runs live in a scratch
/// directory of their own, removed on <see cref="Dispose"/> whether the pass succeeded or not.
/// </summary>
internal sealed class CountSpill : IDisposable
{
    /// <summary>Runs merged at once: more are first merged in groups into bigger runs (few open files, 64 KB buffer each).</summary>
    internal const int FanIn = 64;

    private readonly object _gate = new();
    private readonly List<string> _runs = [];
    private int _named;

    private CountSpill(long budget, string directory)
    {
        Budget = budget;
        Directory = directory;
    }

    /// <summary>Bytes all builders' count tables may take together.</summary>
    public long Budget { get; }

    /// <summary>The scratch directory the runs are written to.</summary>
    public string Directory { get; }

    /// <summary>Runs written and not yet merged away.</summary>
    public int Runs
    {
        get
        {
            lock (_gate)
            {
                return _runs.Count;
            }
        }
    }

    /// <summary>Runs written in all, merges included (how often the budget was hit).</summary>
    public int RunsWritten => Volatile.Read(ref _named);

    /// <summary>
    /// A spill of <paramref name="budget"/> bytes whose runs go to a new directory under <paramref name="parent"/>, created
    /// now so that an unusable place fails before any text is read.
    /// </summary>
    public static CountSpill Create(long budget, string parent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        string directory = Path.Combine(parent, $"vocabulary-spill-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.CreateDirectory(parent);
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, "probe"), []);
            File.Delete(Path.Combine(directory, "probe"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the vocabulary's spill files under {parent}: {e.Message}", e);
        }

        return new CountSpill(budget, directory);
    }

    /// <summary>Writes one run through <paramref name="write"/>; safe to call from several threads at once.</summary>
    public void Write(int fieldCount, Action<CountRunWriter> write)
    {
        string path = Path.Combine(Directory, $"run-{Interlocked.Increment(ref _named)}.cwcr");
        using (var writer = new CountRunWriter(path, fieldCount))
        {
            write(writer);
            writer.Commit();
        }

        lock (_gate)
        {
            _runs.Add(path);
        }
    }

    /// <summary>
    /// Merges every run into the tokens of each of the <paramref name="minCounts"/>' fields whose summed count reaches
    /// the field's min count, with those counts; the runs are deleted. Two tokens under one hash (odds ~n²/2⁶⁵) keep the
    /// ordinal first, as <see cref="VocabularyBuilder.Merge"/> does.
    /// </summary>
    public List<(int Count, byte[] Token)>[] Merge(IReadOnlyList<int> minCounts)
    {
        lock (_gate)
        {
            while (_runs.Count > FanIn)
            {
                List<string> group = _runs[..FanIn];
                _runs.RemoveRange(0, FanIn);
                Write(minCounts.Count, writer => MergeRuns(group, minCounts.Count, _ => writer.BeginField(),
                    (_, hash, count, token, hasToken) => writer.Add(hash, count, token, hasToken)));
                group.ForEach(File.Delete);
            }

            var kept = new List<(int Count, byte[] Token)>[minCounts.Count];
            MergeRuns(_runs, minCounts.Count, field => kept[field] = [], (field, _, count, token, hasToken) =>
            {
                if (hasToken && count >= minCounts[field])
                {
                    kept[field].Add((count, token.ToArray()));
                }
            });
            _runs.ForEach(File.Delete);
            _runs.Clear();
            return kept;
        }
    }

    private delegate void EntrySink(int field, ulong hash, int count, ReadOnlySpan<byte> token, bool hasToken);

    /// <summary>
    /// Streams the merged entries of <paramref name="runs"/> to <paramref name="sink"/>, field by field (each announced to
    /// <paramref name="beginField"/>) in ascending hash order, reading every run once front to back.
    /// </summary>
    private static void MergeRuns(List<string> runs, int fieldCount, Action<int> beginField, EntrySink sink)
    {
        var readers = new List<CountRunReader>();
        try
        {
            foreach (string run in runs)
            {
                readers.Add(new CountRunReader(run, fieldCount));
            }

            var queue = new PriorityQueue<CountRunReader, ulong>(readers.Count);
            byte[] best = new byte[64];
            for (int field = 0; field < fieldCount; field++)
            {
                MergeField(readers, queue, field, ref best, beginField, sink);
            }
        }
        finally
        {
            readers.ForEach(reader => reader.Dispose());
        }
    }

    private static void MergeField(List<CountRunReader> readers, PriorityQueue<CountRunReader, ulong> queue, int field, ref byte[] best,
                                   Action<int> beginField, EntrySink sink)
    {
        beginField(field);
        foreach (CountRunReader reader in readers)
        {
            reader.BeginField();
            if (reader.Next())
            {
                queue.Enqueue(reader, reader.Hash);
            }
        }

        while (queue.TryPeek(out _, out ulong hash))
        {
            long count = 0;
            int length = -1;
            while (queue.TryPeek(out CountRunReader? reader, out ulong next) && next == hash)
            {
                queue.Dequeue();
                count += reader.Count;
                if (reader.HasToken && (length < 0 || reader.Token.SequenceCompareTo(best.AsSpan(0, length)) < 0))
                {
                    length = reader.Token.Length;
                    if (length > best.Length)
                    {
                        best = new byte[Math.Max(length, 2 * best.Length)];
                    }

                    reader.Token.CopyTo(best);
                }

                if (reader.Next())
                {
                    queue.Enqueue(reader, reader.Hash);
                }
            }

            sink(field, hash, (int)Math.Min(int.MaxValue, count), best.AsSpan(0, Math.Max(length, 0)), length >= 0);
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
