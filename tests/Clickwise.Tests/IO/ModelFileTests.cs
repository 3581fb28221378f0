using System.Buffers.Binary;
using System.Text.Json;
using Clickwise.IO;

namespace Clickwise.Tests.IO;

public sealed class ModelFileTests : IDisposable
{
    private const string Config = """{"name":"deepfwfm","embedding_dim":10, "hidden_units":[400,400]}""";
    private const string FeatureMap = """
        {"fields": [{"name": "C1", "size": 3, "oov": 2}],
         "note": "ünïcode ✓"}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("clickwise-io-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static ModelFileContent Sample()
    {
        float[] odd = Enumerable.Range(0, 37).Select(i => i * 0.37f - 3f).ToArray();
        odd[5] = BitConverter.Int32BitsToSingle(0x0000_1234); // a subnormal must survive bit for bit
        odd[6] = -0f;
        return new ModelFileContent
        {
            Kind = ModelFileKind.Checkpoint,
            ConfigJson = Config,
            FeatureMapJson = FeatureMap,
            ExtraJson = """{"epoch":3,"auc":0.8012345678901234}""",
            Tensors =
            [
                ModelTensor.Float32("embedding", "Embedding", [37, 1], odd),
                ModelTensor.Float32("empty", "Bias", [0], Array.Empty<float>()),
                ModelTensor.Int32("adam.step/embedding", "optimizer", [5], new[] { 0, 1, -1, int.MaxValue, int.MinValue }),
                ModelTensor.Int64("adam.step/w", "optimizer", [1], new[] { long.MaxValue - 3 }),
                ModelTensor.Float32("mlp.0.weight", "DenseWeight", [3, 4], Enumerable.Range(0, 12).Select(i => 1f / (i + 1)).ToArray()),
            ],
        };
    }

    [Fact]
    public void RoundTripKeepsEveryTensorBitAndEveryJsonTextIdentical()
    {
        ModelFileContent written = Sample();
        ModelFileWriter.Write(PathOf("m.clkw"), written);
        ModelFileContent read = ModelFileReader.Read(PathOf("m.clkw"));

        Assert.Equal(written.Kind, read.Kind);
        Assert.Equal(Config, read.ConfigJson);
        Assert.Equal(FeatureMap, read.FeatureMapJson);
        Assert.Equal(written.ExtraJson, read.ExtraJson);
        Assert.Equal(written.Tensors.Select(t => t.Name), read.Tensors.Select(t => t.Name));
        for (int i = 0; i < written.Tensors.Count; i++)
        {
            ModelTensor a = written.Tensors[i], b = read.Tensors[i];
            Assert.Equal(a.Role, b.Role);
            Assert.Equal(a.DType, b.DType);
            Assert.Equal(a.Shape, b.Shape);
            Assert.True(a.Bytes.SequenceEqual(b.Bytes), $"tensor {a.Name} differs");
        }
    }

    /// <summary>Issue 17: a checksum-valid model with NaN or infinite weights loaded "checksum ok" and predicted NaN.</summary>
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void AChecksumValidFileWithANonFiniteWeightIsRefusedNamingTheTensor(float bad)
    {
        ModelFileContent content = Sample();
        float[] weights = Enumerable.Range(0, 12).Select(i => 1f / (i + 1)).ToArray();
        weights[7] = bad;
        content = content with { Tensors = [.. content.Tensors.SkipLast(1), ModelTensor.Float32("mlp.0.weight", "DenseWeight", [3, 4], weights)] };
        string path = PathOf("nan.clkw");
        ModelFileWriter.Write(path, content);

        var error = Assert.Throws<ModelFormatException>(() => ModelFileReader.Read(path));
        Assert.Equal($"{path}: tensor 'mlp.0.weight' holds a non-finite value ({bad} at element 7); the checksum is intact, so the model was saved that way: retrain it", error.Message);
    }

    [Fact]
    public void LayoutIsMagicVersionHeaderAlignedTensorsAndSha256Trailer()
    {
        ModelFileContent content = Sample();
        string path = PathOf("m.clkw");
        ModelFileWriter.Write(path, content);
        byte[] bytes = File.ReadAllBytes(path);

        Assert.Equal("CLKW"u8.ToArray(), bytes[..4]);
        Assert.Equal(ModelFileFormat.CurrentVersion, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(12, headerLength));
        long dataStart = ModelFileFormat.AlignUp(12 + headerLength);
        Assert.Equal(0, dataStart % 64);
        Assert.Equal(dataStart + header.RootElement.GetProperty("data_length").GetInt64() + 32, bytes.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);

        JsonElement first = header.RootElement.GetProperty("tensors")[4];
        Assert.Equal("mlp.0.weight", first.GetProperty("name").GetString());
        Assert.Equal("f32", first.GetProperty("dtype").GetString());
        long offset = dataStart + first.GetProperty("offset").GetInt64();
        Assert.Equal(0, offset % 64);
        Assert.Equal(1f / 3, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)offset + 8)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.05)]
    public void FlippedByteIsReportedAsChecksumMismatch(double where)
    {
        string path = PathOf("m.clkw");
        ModelFileWriter.Write(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        int at = Math.Max(12, (int)(bytes.Length * where));
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ModelFormatException>(() => ModelFileReader.Read(path));
        Assert.Contains("checksum mismatch: file is corrupted", e.Message);
    }

    [Fact]
    public void TruncatedFileNamesExpectedAndFoundLengths()
    {
        string path = PathOf("m.clkw");
        ModelFileWriter.Write(path, Sample());
        long full = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(full - 100);
        }

        var e = Assert.Throws<ModelFormatException>(() => ModelFileReader.Read(path));
        Assert.Contains($"truncated: expected {full} bytes, found {full - 100}", e.Message);

        File.WriteAllBytes(path, "CLKW\u0001"u8.ToArray());
        Assert.Contains("truncated: expected 44 bytes, found 5",
            Assert.Throws<ModelFormatException>(() => ModelFileReader.Read(path)).Message);
    }

    [Theory]
    [InlineData("GGUF")]
    [InlineData("PK\u0003\u0004")]
    [InlineData("")]
    public void WrongMagicIsNotAClickwiseModelFile(string start)
    {
        string path = PathOf("m.clkw");
        File.WriteAllText(path, start + new string('x', start.Length == 0 ? 0 : 100));
        var e = Assert.Throws<ModelFormatException>(() => ModelFileReader.Read(path));
        Assert.Contains("not a Clickwise model file", e.Message);
    }

    [Fact]
    public void FutureVersionNamesBothVersions()
    {
        string path = PathOf("m.clkw");
        ModelFileWriter.Write(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 7);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ModelFormatException>(() => ModelFileReader.Read(path));
        Assert.Contains($"format version 7 is newer than this build's {ModelFileFormat.CurrentVersion}", e.Message);
    }

    [Fact]
    public void DuplicateTensorNamesAndInvalidJsonAreRejectedOnWrite()
    {
        ModelFileContent duplicate = Sample() with
        {
            Tensors = [ModelTensor.Int32("x", "r", [1], new[] { 1 }), ModelTensor.Int32("x", "r", [1], new[] { 2 })],
        };
        Assert.Contains("duplicate tensor name 'x'",
            Assert.Throws<ArgumentException>(() => ModelFileWriter.Write(PathOf("d.clkw"), duplicate)).Message);
        Assert.Contains("'config' is not valid JSON",
            Assert.Throws<ArgumentException>(() => ModelFileWriter.Write(PathOf("d.clkw"), Sample() with { ConfigJson = "{oops" })).Message);
        Assert.False(File.Exists(PathOf("d.clkw")));
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
