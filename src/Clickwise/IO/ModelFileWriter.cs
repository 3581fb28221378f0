using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Clickwise.IO;

/// <summary>Writes model and checkpoint files (docs/model-format.md), atomically when given a path.</summary>
public static class ModelFileWriter
{
    private static readonly byte[] Zeros = new byte[ModelFileFormat.Alignment];

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> through <see cref="OutputFile"/>: a regular file atomically
    /// (temp, fsync, rename, fsync dir), a device or FIFO as a stream.
    /// </summary>
    public static void Write(string path, ModelFileContent content) =>
        OutputFile.Write(path, stream => WriteTo(stream, content));

    /// <summary>Writes the file's bytes to <paramref name="stream"/> (no atomicity); returns the byte count.</summary>
    public static long WriteTo(Stream stream, ModelFileContent content)
    {
        ModelFileFormat.RequireLittleEndian();
        byte[] header = BuildHeader(content, out long[] offsets, out long dataLength);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long written = 0;

        void Put(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            hash.AppendData(bytes);
            written += bytes.Length;
        }

        void PadTo(long offset)
        {
            while (written < offset)
            {
                Put(Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, offset - written)));
            }
        }

        Span<byte> preamble = stackalloc byte[ModelFileFormat.PreambleLength];
        ModelFileFormat.Magic.CopyTo(preamble);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[4..], ModelFileFormat.CurrentVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[8..], (uint)header.Length);
        Put(preamble);
        Put(header);
        long dataStart = ModelFileFormat.AlignUp(written);
        for (int i = 0; i < content.Tensors.Count; i++)
        {
            PadTo(dataStart + offsets[i]);
            Put(content.Tensors[i].Bytes);
        }

        PadTo(dataStart + dataLength);
        Span<byte> digest = stackalloc byte[ModelFileFormat.TrailerLength];
        hash.GetHashAndReset(digest);
        stream.Write(digest);
        return written + digest.Length;
    }

    private static byte[] BuildHeader(ModelFileContent content, out long[] offsets, out long dataLength)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        offsets = new long[content.Tensors.Count];
        long offset = 0;
        for (int i = 0; i < offsets.Length; i++)
        {
            ModelTensor t = content.Tensors[i];
            if (!names.Add(t.Name))
            {
                throw new ArgumentException($"duplicate tensor name '{t.Name}'");
            }

            offsets[i] = offset;
            offset = ModelFileFormat.AlignUp(offset + t.ByteLength);
        }

        dataLength = offset;
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("kind", content.Kind == ModelFileKind.Model ? "model" : "checkpoint");
            WriteRaw(json, "config", content.ConfigJson);
            WriteRaw(json, "feature_map", content.FeatureMapJson);
            WriteRaw(json, "extra", content.ExtraJson);
            json.WriteNumber("data_length", dataLength);
            json.WriteStartArray("tensors");
            for (int i = 0; i < offsets.Length; i++)
            {
                ModelTensor t = content.Tensors[i];
                json.WriteStartObject();
                json.WriteString("name", t.Name);
                json.WriteString("role", t.Role);
                json.WriteString("dtype", ModelFileFormat.DTypeName(t.DType));
                json.WriteStartArray("shape");
                foreach (int d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteNumber("offset", offsets[i]);
                json.WriteNumber("length", t.ByteLength);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Stored as JSON values (not escaped strings) so `inspect` and humans read them directly; the reader returns
    // the exact original text because the raw value is copied byte for byte.
    private static void WriteRaw(Utf8JsonWriter json, string property, string? rawJson)
    {
        json.WritePropertyName(property);
        if (rawJson is null)
        {
            json.WriteNullValue();
            return;
        }

        try
        {
            json.WriteRawValue(rawJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"'{property}' is not valid JSON: {e.Message}", e);
        }
    }
}
