using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Clickwise.IO;

/// <summary>
/// Reads and verifies model and checkpoint files. Every failure is a <see cref="ModelFormatException"/> saying
/// which check failed: not a Clickwise file, a newer format version, truncated, checksum mismatch, or a tensor
/// holding NaN or infinity.
/// </summary>
public static class ModelFileReader
{
    private const int ChunkSize = 1 << 20;

    public static ModelFileContent Read(string path)
    {
        ModelFileFormat.RequireLittleEndian();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize);
        try
        {
            return Read(stream, path);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFormatException($"{path}: truncated: file ended while reading ({e.Message})", e);
        }
    }

    private static ModelFileContent Read(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        Span<byte> preamble = stackalloc byte[ModelFileFormat.PreambleLength];
        int got = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        int magicBytes = Math.Min(got, ModelFileFormat.Magic.Length);
        if (!preamble[..magicBytes].SequenceEqual(ModelFileFormat.Magic[..magicBytes]) || fileLength == 0)
        {
            throw new ModelFormatException($"{path}: not a Clickwise model file (bad magic; expected \"CLKW\")");
        }

        if (got < preamble.Length)
        {
            throw Truncated(path, ModelFileFormat.PreambleLength + ModelFileFormat.TrailerLength, fileLength);
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(preamble[4..]);
        if (version > ModelFileFormat.CurrentVersion)
        {
            throw new ModelFormatException(
                $"{path}: format version {version} is newer than this build's {ModelFileFormat.CurrentVersion}; upgrade Clickwise to read it");
        }

        if (version == 0)
        {
            throw new ModelFormatException($"{path}: format version 0 is not a valid version (this build reads 1..{ModelFileFormat.CurrentVersion})");
        }

        long headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        long dataStart = ModelFileFormat.AlignUp(ModelFileFormat.PreambleLength + headerLength);
        if (dataStart + ModelFileFormat.TrailerLength > fileLength)
        {
            throw Truncated(path, dataStart + ModelFileFormat.TrailerLength, fileLength);
        }

        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        Header parsed;
        try
        {
            parsed = Header.Parse(header);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw CorruptOr(stream, path, $"header is not a valid model-file header: {e.Message}");
        }

        long expected = dataStart + parsed.DataLength + ModelFileFormat.TrailerLength;
        if (fileLength < expected)
        {
            throw Truncated(path, expected, fileLength);
        }

        if (fileLength > expected)
        {
            throw CorruptOr(stream, path, $"file has {fileLength} bytes but its header describes {expected}");
        }

        string? invalid = parsed.Validate();
        if (invalid is not null)
        {
            throw CorruptOr(stream, path, $"invalid tensor directory: {invalid}");
        }

        stream.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        CopyToHash(stream, hash, dataStart);
        var tensors = new List<ModelTensor>(parsed.Tensors.Count);
        long position = dataStart;
        foreach (TensorEntry entry in parsed.Tensors)
        {
            CopyToHash(stream, hash, dataStart + entry.Offset - position);
            tensors.Add(ReadTensor(stream, hash, entry));
            position = dataStart + entry.Offset + entry.Length;
        }

        CopyToHash(stream, hash, dataStart + parsed.DataLength - position);
        Span<byte> actual = stackalloc byte[ModelFileFormat.TrailerLength];
        Span<byte> stored = stackalloc byte[ModelFileFormat.TrailerLength];
        hash.GetHashAndReset(actual);
        stream.ReadExactly(stored);
        if (!actual.SequenceEqual(stored))
        {
            throw ChecksumMismatch(path);
        }

        RequireFinite(tensors, path);
        return new ModelFileContent
        {
            Kind = parsed.Kind,
            FormatVersion = version,
            ConfigJson = parsed.ConfigJson ?? "null",
            FeatureMapJson = parsed.FeatureMapJson,
            ExtraJson = parsed.ExtraJson,
            Tensors = tensors,
        };
    }

    private static ModelTensor ReadTensor(FileStream stream, IncrementalHash hash, TensorEntry entry)
    {
        int count = checked((int)(entry.Length / ModelTensor.ElementSize(entry.DType)));
        switch (entry.DType)
        {
            case TensorDType.Float32:
                float[] f = new float[count];
                ReadHashed(stream, hash, MemoryMarshal.AsBytes(f.AsSpan()));
                return ModelTensor.Float32(entry.Name, entry.Role, entry.Shape, f);
            case TensorDType.Int32:
                int[] i = new int[count];
                ReadHashed(stream, hash, MemoryMarshal.AsBytes(i.AsSpan()));
                return ModelTensor.Int32(entry.Name, entry.Role, entry.Shape, i);
            default:
                long[] l = new long[count];
                ReadHashed(stream, hash, MemoryMarshal.AsBytes(l.AsSpan()));
                return ModelTensor.Int64(entry.Name, entry.Role, entry.Shape, l);
        }
    }

    /// <summary>
    /// A checksum proves the bytes are the ones written, not that they are usable: a model saved after its weights
    /// overflowed would load and predict NaN for every row. Every float tensor (weights, optimizer slots, best copy)
    /// must be finite.
    /// </summary>
    private static void RequireFinite(List<ModelTensor> tensors, string path)
    {
        foreach (ModelTensor tensor in tensors)
        {
            if (tensor.DType != TensorDType.Float32)
            {
                continue;
            }

            ReadOnlySpan<float> values = tensor.Float32Data.Span;
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new ModelFormatException(
                        $"{path}: tensor '{tensor.Name}' holds a non-finite value ({values[i]} at element {i}); the checksum is intact, so the model was saved that way: retrain it");
                }
            }
        }
    }

    private static void ReadHashed(FileStream stream, IncrementalHash hash, Span<byte> target)
    {
        stream.ReadExactly(target);
        hash.AppendData(target);
    }

    private static void CopyToHash(FileStream stream, IncrementalHash hash, long count)
    {
        byte[] buffer = new byte[(int)Math.Min(ChunkSize, Math.Max(count, 1))];
        while (count > 0)
        {
            int n = (int)Math.Min(buffer.Length, count);
            stream.ReadExactly(buffer, 0, n);
            hash.AppendData(buffer, 0, n);
            count -= n;
        }
    }

    // A header that does not make sense is usually a damaged file: report the checksum if it fails, since that
    // is the real cause; only an intact file gets the specific complaint.
    private static ModelFormatException CorruptOr(FileStream stream, string path, string reason)
    {
        long length = stream.Length;
        stream.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        CopyToHash(stream, hash, length - ModelFileFormat.TrailerLength);
        Span<byte> actual = stackalloc byte[ModelFileFormat.TrailerLength];
        Span<byte> stored = stackalloc byte[ModelFileFormat.TrailerLength];
        hash.GetHashAndReset(actual);
        stream.ReadExactly(stored);
        return actual.SequenceEqual(stored) ? new ModelFormatException($"{path}: {reason}") : ChecksumMismatch(path);
    }

    private static ModelFormatException ChecksumMismatch(string path) =>
        new($"{path}: checksum mismatch: file is corrupted (SHA-256 of its content differs from the stored one)");

    private static ModelFormatException Truncated(string path, long expected, long found) =>
        new($"{path}: truncated: expected {expected} bytes, found {found}");

    private sealed record TensorEntry(string Name, string Role, TensorDType DType, int[] Shape, long Offset, long Length);

    private sealed record Header(ModelFileKind Kind, string? ConfigJson, string? FeatureMapJson, string? ExtraJson,
        long DataLength, List<TensorEntry> Tensors)
    {
        public static Header Parse(byte[] utf8)
        {
            using JsonDocument doc = JsonDocument.Parse(utf8);
            JsonElement root = doc.RootElement;
            ModelFileKind kind = root.GetProperty("kind").GetString() switch
            {
                "model" => ModelFileKind.Model,
                "checkpoint" => ModelFileKind.Checkpoint,
                string other => throw new FormatException($"unknown kind '{other}'"),
                null => throw new FormatException("kind is null"),
            };
            var tensors = new List<TensorEntry>();
            foreach (JsonElement t in root.GetProperty("tensors").EnumerateArray())
            {
                string dtypeName = t.GetProperty("dtype").GetString() ?? "";
                TensorDType dtype = ModelFileFormat.ParseDType(dtypeName) ?? throw new FormatException($"unknown dtype '{dtypeName}'");
                tensors.Add(new TensorEntry(
                    t.GetProperty("name").GetString() ?? throw new FormatException("tensor without a name"),
                    t.GetProperty("role").GetString() ?? "",
                    dtype,
                    t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                    t.GetProperty("offset").GetInt64(),
                    t.GetProperty("length").GetInt64()));
            }

            return new Header(kind, Raw(root, "config"), Raw(root, "feature_map"), Raw(root, "extra"),
                root.GetProperty("data_length").GetInt64(), tensors);
        }

        private static string? Raw(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? e.GetRawText() : null;

        /// <summary>Null when the directory is consistent; otherwise what is wrong with it.</summary>
        public string? Validate()
        {
            long end = 0;
            foreach (TensorEntry t in Tensors)
            {
                long elements = 1;
                foreach (int d in t.Shape)
                {
                    if (d < 0)
                    {
                        return $"tensor '{t.Name}' has a negative dimension";
                    }

                    elements *= d;
                }

                if (t.Length != elements * ModelTensor.ElementSize(t.DType))
                {
                    return $"tensor '{t.Name}' has {t.Length} bytes but its shape needs {elements * ModelTensor.ElementSize(t.DType)}";
                }

                if (t.Offset % ModelFileFormat.Alignment != 0 || t.Offset < end || t.Offset + t.Length > DataLength)
                {
                    return $"tensor '{t.Name}' at offset {t.Offset} is misaligned, overlapping or outside the data section";
                }

                end = t.Offset + t.Length;
            }

            return null;
        }
    }
}
