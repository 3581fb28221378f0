using System.Globalization;
using System.IO.Compression;
using System.Text;
using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

/// <summary>Opens readers over in-memory text and turns rows into comparable strings.</summary>
internal static class ReaderTestKit
{
    public static IRecordReader Open(string text, ReaderOptions options, int? chunk = null) =>
        Open(Encoding.UTF8.GetBytes(text), options, chunk);

    /// <summary>A reader over <paramref name="bytes"/>; with <paramref name="chunk"/> the stream hands out at most that many bytes per read.</summary>
    public static IRecordReader Open(byte[] bytes, ReaderOptions options, int? chunk = null)
    {
        Stream stream = chunk is { } c ? new TrickleStream(bytes, c) : new MemoryStream(bytes);
        return RecordReaders.Open(stream, "mem", options);
    }

    public static List<string> ReadAll(IRecordReader reader)
    {
        var rows = new List<string>();
        var record = new RawRecord(reader.Schema.FieldCount);
        while (reader.Read(record))
        {
            rows.Add(Describe(record, reader.Schema));
        }

        return rows;
    }

    public static List<string> ReadAll(string text, ReaderOptions options, int? chunk = null)
    {
        using IRecordReader reader = Open(text, options, chunk);
        return ReadAll(reader);
    }

    /// <summary>
    /// <c>label|field=…|…</c>: missing as <c>?</c>, numbers in round-trip form, tokens as text with a value when not 1,
    /// a multi-hot field's further features after <c>+</c>.
    /// </summary>
    public static string Describe(RawRecord record, DataSchema schema)
    {
        var sb = new StringBuilder();
        sb.Append(record.Label.ToString(CultureInfo.InvariantCulture));
        for (int f = 0; f < record.FieldCount; f++)
        {
            sb.Append('|');
            if (record.IsMissing(f))
            {
                sb.Append('?');
            }
            else if (schema.Kinds[f] == FieldKind.Numeric)
            {
                sb.Append(record.Number(f).ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(Encoding.UTF8.GetString(record.Token(f)));
                if (record.Value(f) != 1f)
                {
                    sb.Append('@').Append(record.Value(f).ToString("R", CultureInfo.InvariantCulture));
                }

                for (int extra = record.FirstExtra(f); extra >= 0; extra = record.NextExtra(extra))
                {
                    sb.Append('+').Append(Encoding.UTF8.GetString(record.ExtraToken(extra)));
                    if (record.ExtraValue(extra) != 1f)
                    {
                        sb.Append('@').Append(record.ExtraValue(extra).ToString("R", CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return sb.ToString();
    }

    public static DataFormatException ReadError(string text, ReaderOptions options)
    {
        return Assert.Throws<DataFormatException>(() =>
        {
            using IRecordReader reader = Open(text, options);
            ReadAll(reader);
        });
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static string CriteoLine(string label, string numbers, string categories) => $"{label}\t{numbers}\t{categories}";

    /// <summary>A valid 40-column Criteo line: label, 13 ints (some missing, one negative), 26 tokens (two missing).</summary>
    public static string ValidCriteoLine(int label = 0, int seed = 1)
    {
        var numbers = Enumerable.Range(0, 13).Select(i => i == 2 ? "" : i == 1 ? "-1" : ((i * 7) + seed).ToString(CultureInfo.InvariantCulture));
        var categories = Enumerable.Range(0, 26).Select(i => i is 5 or 20 ? "" : ((uint)((i + 1) * 2654435761u * (uint)seed)).ToString("x8", CultureInfo.InvariantCulture));
        return $"{label}\t{string.Join('\t', numbers)}\t{string.Join('\t', categories)}";
    }
}
