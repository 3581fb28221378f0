using System.Buffers.Binary;

namespace Clickwise.Data.Cache;

/// <summary>
/// The fixed 64-byte header of a binary cache (little-endian):
/// <code>
///  0  8  magic "CWCACHE\0"
///  8  4  version (1; 2 when extra features are present)
/// 12  4  field count F
/// 16  8  row count N
/// 24  8  feature-map checksum (FeatureMap.Checksum)
/// 32  4  flags (bit 0: values present; bit 1, version 2: extra features present)
/// 36  4  extra feature count E (version 2; 0 otherwise)
/// 40  8  offset of ids    int32 [N, F]
/// 48  8  offset of values float32 [N, F] (0 when absent)
/// 56  8  offset of labels float32 [N]
/// </code>
/// Sections start on 64-byte boundaries. Counts and offsets are 64-bit: a cache holds more than 2³¹ rows (Criteo 1TB's
/// 4.37 billion) in the same layout. Ids come first because they are written as rows stream in; labels and
/// values are spooled beside and appended when N is known. With extra features (the second and later features of
/// multi-hot fields) two sections follow the labels: row starts int32 [N + 1] into the entries, then the entries
/// [E] of {int32 field, int32 global id, float32 value}, each row's in field order. A one-hot cache is version 1,
/// byte for byte what builds before multi-hot fields wrote, so either build reads it.
/// </summary>
internal readonly record struct CacheHeader(int FieldCount, long RowCount, ulong FeatureMapChecksum, bool HasValues, int ExtraCount = 0)
{
    public const int Size = 64;
    public const int Version = 1;
    public const int MultiHotVersion = 2;
    public const int Alignment = 64;
    public const int ExtraEntryBytes = 12;

    private static ReadOnlySpan<byte> Magic => "CWCACHE\0"u8;

    public bool HasExtras => ExtraCount > 0;

    public long IdsOffset => Size;

    public long ValuesOffset => HasValues ? Align(IdsOffset + SectionBytes) : 0;

    public long LabelsOffset => Align((HasValues ? ValuesOffset : IdsOffset) + SectionBytes);

    public long ExtraRowsOffset => HasExtras ? Align(LabelsOffset + (RowCount * sizeof(float))) : 0;

    public long ExtraEntriesOffset => HasExtras ? Align(ExtraRowsOffset + ((RowCount + 1) * sizeof(int))) : 0;

    public long FileLength => HasExtras ? ExtraEntriesOffset + ((long)ExtraCount * ExtraEntryBytes) : LabelsOffset + (RowCount * sizeof(float));

    private long SectionBytes => RowCount * FieldCount * sizeof(int);

    /// <summary>Rows whose sections still fit 64-bit offsets (a bound on the header, far above any real file).</summary>
    public static long MaxRows(int fieldCount) => long.MaxValue / 16 / fieldCount;

    public static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], HasExtras ? MultiHotVersion : Version);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], FieldCount);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], RowCount);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], FeatureMapChecksum);
        BinaryPrimitives.WriteInt32LittleEndian(destination[32..], (HasValues ? 1 : 0) | (HasExtras ? 2 : 0));
        BinaryPrimitives.WriteInt32LittleEndian(destination[36..], ExtraCount);
        BinaryPrimitives.WriteInt64LittleEndian(destination[40..], IdsOffset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[48..], ValuesOffset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[56..], LabelsOffset);
    }

    /// <summary>Parses and checks a header; <paramref name="fileLength"/> catches truncated files.</summary>
    public static CacheHeader Read(ReadOnlySpan<byte> source, long fileLength, string path)
    {
        if (source.Length < Size || !source[..8].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a Clickwise cache (bad magic)");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        if (version is not (Version or MultiHotVersion))
        {
            throw new InvalidDataException(
                $"{path}: cache version {version}, this build reads versions {Version} and {MultiHotVersion}; rebuild the cache");
        }

        int flags = BinaryPrimitives.ReadInt32LittleEndian(source[32..]);
        int extraCount = BinaryPrimitives.ReadInt32LittleEndian(source[36..]);
        int knownFlags = version == MultiHotVersion ? 3 : 1;
        var header = new CacheHeader(
            BinaryPrimitives.ReadInt32LittleEndian(source[12..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[24..]),
            (flags & 1) != 0,
            extraCount);
        if (header.FieldCount < 1 || header.RowCount < 0 || header.RowCount > MaxRows(header.FieldCount) || (flags & ~knownFlags) != 0
            || extraCount < 0 || (extraCount > 0) != ((flags & 2) != 0) || (version == MultiHotVersion) != header.HasExtras
            || BinaryPrimitives.ReadInt64LittleEndian(source[40..]) != header.IdsOffset
            || BinaryPrimitives.ReadInt64LittleEndian(source[48..]) != header.ValuesOffset
            || BinaryPrimitives.ReadInt64LittleEndian(source[56..]) != header.LabelsOffset)
        {
            throw new InvalidDataException($"{path}: corrupt cache header");
        }

        if (fileLength != header.FileLength)
        {
            throw new InvalidDataException($"{path}: cache is {fileLength} bytes but its header needs {header.FileLength} (truncated or corrupt)");
        }

        return header;
    }
}
