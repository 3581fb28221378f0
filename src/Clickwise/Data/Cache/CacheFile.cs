using System.IO.MemoryMappedFiles;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Clickwise.Data.Cache;

/// <summary>
/// A binary cache opened read-only and memory-mapped: rows are read straight from the OS page cache, so a process
/// holds no copy of the data (a 45M-row Criteo cache costs only the pages it touches). Thread-safe for reads.
/// </summary>
public sealed unsafe class CacheFile : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly CacheHeader _header;
    private byte* _base;

    private CacheFile(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, CacheHeader header, byte* basePointer)
    {
        Path = path;
        _file = file;
        _view = view;
        _header = header;
        _base = basePointer;
    }

    public string Path { get; }

    public int FieldCount => _header.FieldCount;

    public long RowCount => _header.RowCount;

    public bool HasValues => _header.HasValues;

    /// <summary>Whether some row has a multi-hot field (a version-2 cache).</summary>
    public bool HasExtras => _header.HasExtras;

    public ulong FeatureMapChecksum => _header.FeatureMapChecksum;

    /// <summary>
    /// Opens and validates a cache. With <paramref name="expectedFeatureMapChecksum"/> it also refuses a cache that
    /// was encoded with a different feature map (its ids would mean other categories).
    /// </summary>
    public static CacheFile Open(string path, ulong? expectedFeatureMapChecksum = null)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the binary cache is little-endian only");
        }

        CacheHeader header;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Span<byte> head = stackalloc byte[CacheHeader.Size];
            int read = stream.ReadAtLeast(head, CacheHeader.Size, throwOnEndOfStream: false);
            header = CacheHeader.Read(head[..read], stream.Length, path);
        }

        if (expectedFeatureMapChecksum is ulong expected && expected != header.FeatureMapChecksum)
        {
            throw new InvalidDataException(
                $"{path}: cache was encoded with feature map {header.FeatureMapChecksum:x16}, not the given map {expected:x16}; rebuild the cache");
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new CacheFile(path, file, view, header, pointer + view.PointerOffset);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Global ids [F] of one row.</summary>
    public ReadOnlySpan<int> Ids(long row) => new(IdsPointer(row), FieldCount);

    /// <summary>Values [F] of one row (all 1 when the cache has none).</summary>
    public ReadOnlySpan<float> Values(long row)
    {
        if (!HasValues)
        {
            throw new InvalidOperationException($"{Path} has no values section");
        }

        return new(ValuesPointer(row), FieldCount);
    }

    public float Label(long row) => *LabelPointer(row);

    /// <summary>Copies the given rows, in order, into a batch (ids, labels, and values when present).</summary>
    public void CopyRows(ReadOnlySpan<int> rows, Batch batch) => Copy(rows, batch);

    /// <summary>Copies the given rows (any row of a cache beyond 2³¹ rows), in order, into a batch.</summary>
    public void CopyRows(ReadOnlySpan<long> rows, Batch batch) => Copy(rows, batch);

    /// <summary>One body for both row index widths; the JIT specialises it per width, so the int path costs no widening call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Copy<TRow>(ReadOnlySpan<TRow> rows, Batch batch)
        where TRow : struct, IBinaryInteger<TRow>
    {
        int f = FieldCount;
        if (batch.FieldCount != f || rows.Length > batch.Capacity)
        {
            throw new ArgumentException($"batch of {batch.Capacity}×{batch.FieldCount} cannot take {rows.Length}×{f}");
        }

        Span<int> ids = batch.Ids;
        Span<float> labels = batch.Labels;
        for (int r = 0; r < rows.Length; r++)
        {
            long row = long.CreateTruncating(rows[r]);
            new ReadOnlySpan<int>(IdsPointer(row), f).CopyTo(ids.Slice(r * f, f));
            labels[r] = *LabelPointer(row);
        }

        if (HasValues)
        {
            Span<float> values = batch.Values;
            for (int r = 0; r < rows.Length; r++)
            {
                new ReadOnlySpan<float>(ValuesPointer(long.CreateTruncating(rows[r])), f).CopyTo(values.Slice(r * f, f));
            }
        }

        batch.Extras.Clear();
        if (HasExtras)
        {
            CopyExtras(rows, batch.Extras);
        }

        batch.Count = rows.Length;
        batch.HasValues = HasValues;
    }

    /// <summary>The extra features of the given rows, lookup by lookup (a row's entries are in field order).</summary>
    private void CopyExtras<TRow>(ReadOnlySpan<TRow> rows, ExtraFeatures extras)
        where TRow : struct, IBinaryInteger<TRow>
    {
        int f = FieldCount;
        foreach (TRow index in rows)
        {
            long row = long.CreateTruncating(index);
            int* starts = (int*)(Checked(row) + _header.ExtraRowsOffset) + row;
            byte* entries = _base + _header.ExtraEntriesOffset;
            int e = starts[0], end = starts[1];
            if (e < 0 || end < e || end > _header.ExtraCount)
            {
                throw new InvalidDataException($"{Path}: row {row}'s extra features [{e}, {end}) are outside the {_header.ExtraCount} entries");
            }

            for (int field = 0; field < f; field++)
            {
                for (; e < end && *(int*)(entries + ((long)e * CacheHeader.ExtraEntryBytes)) == field; e++)
                {
                    byte* entry = entries + ((long)e * CacheHeader.ExtraEntryBytes);
                    extras.Add(*(int*)(entry + 4), *(float*)(entry + 8));
                }

                extras.EndLookup();
            }

            if (e != end)
            {
                throw new InvalidDataException($"{Path}: row {row}'s extra features are not in field order");
            }
        }
    }

    public void Dispose()
    {
        if (_base is null)
        {
            return;
        }

        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private int* IdsPointer(long row) => (int*)(Checked(row) + _header.IdsOffset + (row * FieldCount * sizeof(int)));

    private float* ValuesPointer(long row) => (float*)(Checked(row) + _header.ValuesOffset + (row * FieldCount * sizeof(float)));

    private float* LabelPointer(long row) => (float*)(Checked(row) + _header.LabelsOffset + (row * sizeof(float)));

    /// <summary>Bounds and lifetime check before any pointer arithmetic (a wrong row would read foreign memory).</summary>
    private byte* Checked(long row)
    {
        ObjectDisposedException.ThrowIf(_base is null, this);
        if ((ulong)row >= (ulong)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside 0..{RowCount - 1}");
        }

        return _base;
    }
}
