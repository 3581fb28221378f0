using System.Diagnostics;
using System.IO.Compression;
using Clickwise.IO;
using Clickwise.Metrics;

namespace Clickwise.Data.Synthetic;

/// <summary>
/// Writes Criteo- or Avazu-format text labelled by a seeded hidden <see cref="Teacher"/>
/// (docs/synthetic.md). Rows are made in chunks of <see cref="ChunkRows"/>, each from its own generator
/// seeded by (seed, chunk index), on <see cref="SyntheticOptions.Threads"/> workers, and written in chunk
/// order, so the bytes do not depend on the thread count.
/// </summary>
public static class SyntheticGenerator
{
    /// <summary>Rows per chunk. Part of the output's definition: changing it changes every file.</summary>
    public const int ChunkRows = 1 << 16;

    /// <summary>Rows of the pilot sample on which the bias is tuned to the positive rate.</summary>
    internal const int PilotRows = 1 << 15;

    /// <summary>
    /// Writes to <paramref name="path"/> through <see cref="OutputFile"/> (a killed or failed run leaves no truncated file
    /// under the name); a <c>.gz</c> suffix gzips the text.
    /// </summary>
    public static SyntheticReport Generate(SyntheticOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return OutputFile.Write(path, file =>
        {
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                return Generate(options, file);
            }

            // Disposed here, before the file is flushed and committed: the gzip trailer is part of the file.
            using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
            return Generate(options, gzip);
        });
    }

    /// <summary>Writes the text to <paramref name="output"/> (left open) and reports what was made.</summary>
    public static SyntheticReport Generate(SyntheticOptions options, Stream output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var plan = new Plan(options);
        ulong[]? keys = options.ComputeTeacherAuc ? new ulong[options.Rows] : null;

        var header = new Utf8Buffer(1024);
        plan.Writer.WriteHeader(header);
        output.Write(header.Written);
        long bytes = header.Length;
        long positives = 0;
        long chunks = (options.Rows + ChunkRows - 1) / ChunkRows;

        void Write(ChunkOutput chunk)
        {
            output.Write(chunk.Text.Written);
            bytes += chunk.Text.Length;
            positives += chunk.Positives;
        }

        if (options.Threads == 1)
        {
            var text = new Utf8Buffer(1 << 20);
            for (long c = 0; c < chunks; c++)
            {
                Write(plan.Run(c, text, keys));
            }
        }
        else
        {
            // At most threads + 1 chunks in flight; buffers are recycled once written.
            var pending = new Queue<Task<ChunkOutput>>();
            var free = new System.Collections.Concurrent.ConcurrentBag<Utf8Buffer>();
            try
            {
                for (long c = 0; c < chunks; c++)
                {
                    if (pending.Count > options.Threads)
                    {
                        ChunkOutput done = pending.Dequeue().GetAwaiter().GetResult();
                        Write(done);
                        free.Add(done.Text);
                    }

                    long chunk = c;
                    Utf8Buffer text = free.TryTake(out Utf8Buffer? reused) ? reused : new Utf8Buffer(1 << 20);
                    pending.Enqueue(Task.Run(() => plan.Run(chunk, text, keys)));
                }

                while (pending.Count > 0)
                {
                    Write(pending.Dequeue().GetAwaiter().GetResult());
                }
            }
            finally
            {
                // On failure (a full disk, say) let the workers still running finish before returning.
                Task.WaitAll(pending.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            }
        }

        output.Flush();
        double auc = double.NaN;
        if (keys is not null)
        {
            keys.AsSpan().Sort();
            auc = Auc.FromSortedKeys(keys);
        }

        double rate = options.Rows == 0 ? double.NaN : (double)positives / options.Rows;
        return new SyntheticReport(options.Rows, rate, auc, clock.Elapsed.TotalSeconds, bytes);
    }

    private readonly record struct ChunkOutput(Utf8Buffer Text, long Positives);

    /// <summary>The immutable parts shared by all chunks: profile, sampler, tuned teacher, text writer.</summary>
    private sealed class Plan
    {
        private readonly SyntheticProfile _profile;
        private readonly RowSampler _sampler;
        private readonly Teacher _teacher;
        private readonly ulong _seed;
        private readonly long _rows;

        public Plan(SyntheticOptions options)
        {
            _profile = SyntheticProfile.Create(options.Profile, options.CardinalityScale);
            _sampler = new RowSampler(_profile, options.ZipfExponent);
            _teacher = new Teacher(_profile, options.Seed);
            _seed = options.Seed;
            _rows = options.Rows;
            Writer = new RowTextWriter(_profile);
            _teacher.Calibrate(PilotLogits(), _profile.TeacherLogitStd, options.PositiveRate);
        }

        public RowTextWriter Writer { get; }

        public ChunkOutput Run(long chunk, Utf8Buffer text, ulong[]? keys)
        {
            text.Clear();
            var rng = Xoshiro256.ForStream(_seed, (ulong)chunk);
            var row = new SyntheticRow(_profile.Fields.Count, _profile.MissingGroups);
            long start = chunk * ChunkRows;
            long end = Math.Min(start + ChunkRows, _rows);
            long positives = 0;
            for (long i = start; i < end; i++)
            {
                _sampler.Sample(ref rng, i, _rows, row);
                double probability = LogLoss.Sigmoid(_teacher.Logit(row));
                bool positive = rng.NextDouble() < probability;
                positives += positive ? 1 : 0;
                if (keys is not null)
                {
                    keys[i] = ScoreKey.Encode((float)probability, positive);
                }

                Writer.WriteRow(text, row, positive);
            }

            return new ChunkOutput(text, positives);
        }

        /// <summary>Raw teacher logits of a pilot sample from its own stream (independent of the row count).</summary>
        private double[] PilotLogits()
        {
            var rng = Xoshiro256.ForStream(_seed, ulong.MaxValue);
            var row = new SyntheticRow(_profile.Fields.Count, _profile.MissingGroups);
            var logits = new double[PilotRows];
            for (int i = 0; i < logits.Length; i++)
            {
                _sampler.Sample(ref rng, i, PilotRows, row);
                logits[i] = _teacher.RawLogit(row);
            }

            return logits;
        }
    }
}
