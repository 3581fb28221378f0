using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Clickwise.IO;
using Clickwise.Kernels;

namespace Clickwise.Data.Cache;

/// <summary>
/// Streams encoded rows into a binary cache (layout: <see cref="CacheHeader"/>). Memory stays constant in the row
/// count: ids go straight to the output, labels to a spool file, values to a second spool opened only when the first
/// row with a value other than 1 arrives (earlier rows are back-filled with 1), the extra features of multi-hot fields
/// to two more spools opened with the first such row. <see cref="Commit"/> assembles the
/// file under a temp name and renames it into place; disposing without committing leaves no file behind.
/// </summary>
public sealed class CacheWriter : IDisposable
{
    private const int BufferBytes = 1 << 20;

    private readonly string _path;
    private readonly string _temp;
    private readonly string _labelsTemp;
    private readonly string _valuesTemp;
    private readonly string _extraRowsTemp;
    private readonly string _extraEntriesTemp;
    private readonly byte[] _entry = new byte[CacheHeader.ExtraEntryBytes];
    private readonly ulong _featureMapChecksum;
    private readonly float[] _ones;
    private FileStream? _ids;
    private FileStream? _labels;
    private FileStream? _values;
    private FileStream? _extraRows;
    private FileStream? _extraEntries;
    private int _extraCount;
    private bool _committed;

    public CacheWriter(string path, int fieldCount, ulong featureMapChecksum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldCount, 1);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the binary cache is little-endian only");
        }

        _path = path;
        FieldCount = fieldCount;
        _featureMapChecksum = featureMapChecksum;
        _ones = new float[fieldCount];
        _ones.AsSpan().Fill(1f);
        _temp = AtomicFile.TempPathFor(path);
        _labelsTemp = _temp + ".labels";
        _valuesTemp = _temp + ".values";
        _extraRowsTemp = _temp + ".extra-rows";
        _extraEntriesTemp = _temp + ".extra-entries";
        _ids = Create(_temp);
        _ids.Write(new byte[CacheHeader.Size]);
        _labels = Create(_labelsTemp);
    }

    public int FieldCount { get; }

    public long RowCount { get; private set; }

    public bool HasValues => _values is not null;

    /// <summary>
    /// Appends one row: ids [F] (global), values [F] (pass empty when every value is 1), its label, and the extra
    /// features of its F lookups (empty for a one-hot row).
    /// </summary>
    public void Append(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, float label, ExtraLookups extras = default)
    {
        ObjectDisposedException.ThrowIf(_ids is null, this);
        if (ids.Length != FieldCount || (values.Length != 0 && values.Length != FieldCount))
        {
            throw new ArgumentException($"a row needs {FieldCount} ids and 0 or {FieldCount} values");
        }

        if (_values is null && values.Length != 0 && values.IndexOfAnyExcept(1f) >= 0)
        {
            StartValues();
        }

        _ids.Write(MemoryMarshal.AsBytes(ids));
        _values?.Write(MemoryMarshal.AsBytes(values.Length != 0 ? values : _ones));
        _labels!.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<float>(in label)));
        AppendExtras(extras);
        RowCount++;
    }

    /// <summary>
    /// Appends one-hot rows in a block: ids [rows, F], values [rows, F] (empty when every value is 1) and labels [rows].
    /// The file is the one <see cref="Append"/> row by row would write.
    /// </summary>
    public void AppendRows(ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ReadOnlySpan<float> labels)
    {
        ObjectDisposedException.ThrowIf(_ids is null, this);
        int rows = labels.Length;
        if (ids.Length != (long)rows * FieldCount || (values.Length != 0 && values.Length != ids.Length))
        {
            throw new ArgumentException($"{rows} rows need {(long)rows * FieldCount} ids and 0 or as many values");
        }

        if (_extraRows is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                Append(ids.Slice(r * FieldCount, FieldCount), values.IsEmpty ? default : values.Slice(r * FieldCount, FieldCount), labels[r]);
            }

            return;
        }

        if (_values is null && values.IndexOfAnyExcept(1f) >= 0)
        {
            StartValues();
        }

        _ids.Write(MemoryMarshal.AsBytes(ids));
        if (_values is not null)
        {
            WriteValues(values, rows);
        }

        _labels!.Write(MemoryMarshal.AsBytes(labels));
        RowCount += rows;
    }

    /// <summary>Finishes the file and moves it to its path; returns the header's row count.</summary>
    public long Commit()
    {
        ObjectDisposedException.ThrowIf(_ids is null, this);
        var header = new CacheHeader(FieldCount, RowCount, _featureMapChecksum, HasValues, _extraCount);
        if (_values is not null)
        {
            AppendSpool(ref _values, header.ValuesOffset);
        }

        AppendSpool(ref _labels, header.LabelsOffset);
        if (_extraRows is not null)
        {
            WriteInt(_extraRows, _extraCount);
            AppendSpool(ref _extraRows, header.ExtraRowsOffset);
            AppendSpool(ref _extraEntries, header.ExtraEntriesOffset);
        }

        Span<byte> head = stackalloc byte[CacheHeader.Size];
        header.Write(head);
        _ids.Position = 0;
        _ids.Write(head);
        _ids.Flush(flushToDisk: true);
        _ids.Dispose();
        _ids = null;
        AtomicFile.Commit(_temp, _path);
        _committed = true;
        return RowCount;
    }

    public void Dispose()
    {
        _ids?.Dispose();
        _labels?.Dispose();
        _values?.Dispose();
        _extraRows?.Dispose();
        _extraEntries?.Dispose();
        _ids = _labels = _values = _extraRows = _extraEntries = null;
        File.Delete(_labelsTemp);
        File.Delete(_valuesTemp);
        File.Delete(_extraRowsTemp);
        File.Delete(_extraEntriesTemp);
        if (!_committed)
        {
            File.Delete(_temp);
        }
    }

    private static FileStream Create(string path) =>
        new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferBytes, FileOptions.SequentialScan);

    private void StartValues()
    {
        _values = Create(_valuesTemp);
        WriteValues(default, RowCount);
    }

    /// <summary>The values of <paramref name="rows"/> rows, or 1 for each of their features when <paramref name="values"/> is empty.</summary>
    private void WriteValues(ReadOnlySpan<float> values, long rows)
    {
        if (!values.IsEmpty)
        {
            _values!.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        ReadOnlySpan<byte> ones = MemoryMarshal.AsBytes(_ones.AsSpan());
        for (long r = 0; r < rows; r++)
        {
            _values!.Write(ones);
        }
    }

    /// <summary>The row's start in the entries (once any row has extras), then its entries in field order.</summary>
    private void AppendExtras(ExtraLookups extras)
    {
        if (_extraRows is null && extras.IsEmpty)
        {
            return;
        }

        if (!extras.IsEmpty && extras.Offsets.Length != FieldCount + 1)
        {
            throw new ArgumentException($"a row's extra features need {FieldCount} lookups, not {extras.Offsets.Length - 1}");
        }

        if (_extraRows is null)
        {
            _extraRows = Create(_extraRowsTemp);
            _extraEntries = Create(_extraEntriesTemp);
            for (long r = 0; r < RowCount; r++)
            {
                WriteInt(_extraRows, 0);
            }
        }

        WriteInt(_extraRows, _extraCount);
        for (int f = 0; f < extras.Offsets.Length - 1; f++)
        {
            for (int e = extras.Offsets[f]; e < extras.Offsets[f + 1]; e++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(_entry, f);
                BinaryPrimitives.WriteInt32LittleEndian(_entry.AsSpan(4), extras.Ids[e]);
                BinaryPrimitives.WriteSingleLittleEndian(_entry.AsSpan(8), extras.Values[e]);
                _extraEntries!.Write(_entry);
                _extraCount = _extraCount < int.MaxValue
                    ? _extraCount + 1
                    : throw new InvalidOperationException($"more than {int.MaxValue} extra features exceed a cache's limit");
            }
        }
    }

    private static void WriteInt(FileStream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    /// <summary>Pads the output to <paramref name="offset"/> and copies a spool file there, then deletes the spool.</summary>
    private void AppendSpool(ref FileStream? spool, long offset)
    {
        long padding = offset - _ids!.Position;
        _ids.Write(new byte[padding]);
        spool!.Position = 0;
        spool.CopyTo(_ids, BufferBytes);
        spool.Dispose();
        spool = null;
    }
}
