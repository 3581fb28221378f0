using System.Globalization;
using System.Text.Json;
using Clickwise.Data;
using Clickwise.Data.Readers;
using Clickwise.Inference;
using Clickwise.Interchange;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Inference;
using Clickwise.Tests.Interchange;

namespace Clickwise.Tests.Cli;

/// <summary>
/// <c>clickwise export</c>: the written ONNX file scores raw lines as <c>predict</c>'s plan does, and its manifest alone encodes
/// them to Clickwise's ids.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ExportTests : IClassFixture<ExportTests.Files>
{
    private readonly Files _files;

    public ExportTests(Files files) => _files = files;

    /// <summary>Synthetic Criteo lines and a small DeepFM trained on them.</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", DataPath);
            CliRunner.Expect(0, "train", "-d", DataPath, "--model", "deepfm", "-o", Directory.File("deepfm.cwm"), "--epochs", "1",
                "--embedding-dim", "4", "--hidden", "16,16", "--batch-size", "512", "--quiet");
        }

        internal TempDirectory Directory { get; } = new();

        public string DataPath => Directory.File("data.tsv");

        public void Dispose() => Directory.Dispose();
    }

    [Fact]
    public void ExportedFileScoresLinesAsThePlanDoes()
    {
        string onnx = _files.Directory.File("deepfm.onnx");
        CliResult result = CliRunner.Expect(0, "export", "-m", _files.Directory.File("deepfm.cwm"), "--format", "onnx", "-o", onnx);
        Assert.Contains("manifest.json", result.Out);

        ModelArtifact artifact = ModelArtifact.Load(_files.Directory.File("deepfm.cwm"));
        (Batch batch, float[] expected) = ScoredLines(artifact);
        (float[] logits, _) = OnnxExportTests.OnnxRuntimeRun(File.ReadAllBytes(onnx), batch, withValues: false);
        RandomModels.AssertClose(expected, logits, "ONNX Runtime on the exported file", tolerance: 1e-5f);
    }

    /// <summary>
    /// Past the threshold (0 here, 1 GiB by default) the large initializers go to FILE.data beside the model, which ONNX
    /// Runtime loads by path with the same logits; under it no data file is written.
    /// </summary>
    [Fact]
    public void LargeInitializersGoToAnExternalDataFileThatOnnxRuntimeLoads()
    {
        string model = _files.Directory.File("deepfm.cwm");
        string inline = _files.Directory.File("inline.onnx"), external = _files.Directory.File("external.onnx");
        string manifestPath = _files.Directory.File("external.manifest.json");
        CliRunner.Expect(0, "export", "-m", model, "-o", inline, "--manifest", _files.Directory.File("inline.manifest.json"));
        CliResult result = CliRunner.Expect(0, "export", "-m", model, "-o", external, "--manifest", manifestPath, "--external-data-above", "0");

        Assert.False(File.Exists(inline + ".data"));
        string data = external + ".data";
        Assert.Contains($"initializers in {data}", result.Out);
        long inlineBytes = new FileInfo(inline).Length, modelBytes = new FileInfo(external).Length, dataBytes = new FileInfo(data).Length;
        Assert.True(modelBytes < inlineBytes / 4, $"the model keeps {modelBytes:N0} of {inlineBytes:N0} bytes");
        Assert.True(dataBytes >= inlineBytes - modelBytes, $"the data file has {dataBytes:N0} bytes");
        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(manifestPath)))
        {
            Assert.Equal("external.onnx.data", manifest.RootElement.GetProperty("external_data").GetString());
        }

        (Batch batch, float[] expected) = ScoredLines(ModelArtifact.Load(model));
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(external);
        (float[] logits, _) = OnnxExportTests.OnnxRuntimeRun(session, batch, withValues: false);
        RandomModels.AssertClose(expected, logits, "ONNX Runtime on the model with external data", tolerance: 1e-5f);
        CliRunner.Expect(2, "export", "-m", model, "-o", external, "--external-data-above", "-1");
    }

    /// <summary>
    /// A model trained on libffm lines with multi-hot fields exports with ids and values [N, F, K] (the manifest says so),
    /// and ONNX Runtime, given each field's features padded with value 0, scores the lines as the plan does.
    /// </summary>
    [Fact]
    public void MultiHotLibffmModelExportsAndScoresAsThePlanDoes()
    {
        using var directory = new TempDirectory();
        var random = new Random(5);
        string data = directory.File("multi.ffm");
        File.WriteAllLines(data, Enumerable.Range(0, 600).Select(i =>
        {
            // Fields 1 and 3 carry 1-3 features, with values; field 2 is absent (missing) in every fifth line.
            var features = new List<string> { $"0:{random.Next(8)}:1" };
            features.AddRange(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => string.Create(CultureInfo.InvariantCulture, $"1:{random.Next(30)}:{0.5 + random.NextDouble():F3}")));
            if (i % 5 != 0)
            {
                features.Add($"2:{random.Next(12)}:1");
            }

            features.AddRange(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => string.Create(CultureInfo.InvariantCulture, $"3:{random.Next(9)}:{0.25 + random.NextDouble():F3}")));
            return $"{i % 3 % 2} {string.Join(' ', features)}";
        }));
        string model = directory.File("multi.cwm"), onnx = directory.File("multi.onnx"), manifestPath = directory.File("manifest.json");
        CliRunner.Expect(0, "train", "-d", data, "--format", "libffm", "--model", "deepfm", "-o", model, "--epochs", "1", "--embedding-dim", "4",
            "--hidden", "8", "--batch-size", "64", "--quiet");
        CliRunner.Expect(0, "export", "-m", model, "-o", onnx);

        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(manifestPath)))
        {
            JsonElement[] inputs = [.. manifest.RootElement.GetProperty("inputs").EnumerateArray()];
            Assert.Equal(["ids", "values"], inputs.Select(i => i.GetProperty("name").GetString()));
            Assert.All(inputs, i => Assert.Equal(["\"N\"", "4", "\"K\""], i.GetProperty("shape").EnumerateArray().Select(d => d.GetRawText())));
        }

        ModelArtifact artifact = ModelArtifact.Load(model);
        CompiledModel compiled = artifact.Compile();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        using IRecordReader reader = RecordReaders.Open(data, artifact.Input!.WithFieldCountOf(compiled.FieldCount));
        int multiHotBatches = 0;
        Scoring.Stream(compiled, artifact.FeatureMap, reader, (batch, expected) =>
        {
            multiHotBatches += batch.Extras.InUse.IsEmpty ? 0 : 1;
            (float[] logits, _) = OnnxExportTests.OnnxRuntimeRun(session, batch, withValues: true);
            RandomModels.AssertClose(expected, logits, "ONNX Runtime on multi-hot libffm lines", tolerance: 1e-5f);
        });
        Assert.True(multiHotBatches > 0);
    }

    [Fact]
    public void ManifestRulesAloneGiveClickwiseIds()
    {
        string onnx = _files.Directory.File("manifest-test.onnx"), manifestPath = _files.Directory.File("deepfm.manifest.json");
        CliRunner.Expect(0, "export", "-m", _files.Directory.File("deepfm.cwm"), "-o", onnx, "--manifest", manifestPath);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        Assert.Equal(OnnxManifest.FormatName, manifest.RootElement.GetProperty("format").GetString());
        Assert.Equal("manifest-test.onnx", manifest.RootElement.GetProperty("onnx").GetString());
        var encoder = new ManifestEncoder(manifest.RootElement);

        (Batch batch, _) = ScoredLines(ModelArtifact.Load(_files.Directory.File("deepfm.cwm")));
        string[] lines = File.ReadAllLines(_files.DataPath);
        int f = batch.FieldCount, oov = 0;
        for (int r = 0; r < batch.Count; r++)
        {
            long[] ids = encoder.Encode(lines[r]);
            for (int i = 0; i < f; i++)
            {
                Assert.True(ids[i] == batch.Ids[r * f + i], $"line {r + 1} field {i}: manifest rules give {ids[i]}, Clickwise {batch.Ids[r * f + i]}");
            }

            oov += encoder.OovCount;
        }

        Assert.True(oov > 0, "the lines should include categories below the minimum count (OOV)");
    }

    /// <summary>The data file's rows as Clickwise encodes them, and the plan's logits.</summary>
    private (Batch Batch, float[] Logits) ScoredLines(ModelArtifact artifact)
    {
        CompiledModel compiled = artifact.Compile();
        using IRecordReader reader = RecordReaders.Open(_files.DataPath, new ReaderOptions { Format = DataFormat.Criteo });
        var all = new Batch(3000, compiled.FieldCount);
        var logits = new List<float>();
        Scoring.Stream(compiled, artifact.FeatureMap, reader, (batch, batchLogits) =>
        {
            batch.IdsInUse.CopyTo(all.Ids.AsSpan(all.Count * compiled.FieldCount));
            all.Count += batch.Count;
            logits.AddRange(batchLogits.ToArray());
        });
        return (all, [.. logits]);
    }

    /// <summary>An encoder of Criteo TSV lines written from the manifest's rules and feature map alone, as another runtime would.</summary>
    private sealed class ManifestEncoder
    {
        private readonly (long Offset, string Kind, string Transform, Dictionary<string, int> Tokens)[] _fields;
        private readonly long _oov, _missing, _first;

        public ManifestEncoder(JsonElement manifest)
        {
            JsonElement encoding = manifest.GetProperty("encoding"), map = manifest.GetProperty("feature_map");
            (_oov, _missing, _first) = (encoding.GetProperty("oov_local_id").GetInt64(), encoding.GetProperty("missing_local_id").GetInt64(),
                encoding.GetProperty("first_category_local_id").GetInt64());
            _fields = [.. map.GetProperty("fields").EnumerateArray().Select(field =>
            {
                Assert.Equal(0, field.GetProperty("hash_buckets").GetInt32()); // Criteo's preset fits vocabularies
                Assert.Equal("utf8", field.GetProperty("token_encoding").GetString());
                var tokens = field.GetProperty("tokens").EnumerateArray().Select((t, i) => (t.GetString()!, i)).ToDictionary(p => p.Item1, p => p.i);
                return (field.GetProperty("offset").GetInt64(), field.GetProperty("kind").GetString()!,
                    field.GetProperty("numeric_transform").GetString()!, tokens);
            })];
        }

        public int OovCount { get; private set; }

        public long[] Encode(string line)
        {
            string[] columns = line.Split('\t'); // label, I1..I13, C1..C26: field f is column f + 1
            OovCount = 0;
            return [.. _fields.Select((field, f) =>
            {
                string text = columns[f + 1];
                if (text.Length == 0)
                {
                    return field.Offset + _missing;
                }

                string token = field.Kind == "numeric" && field.Transform == "log_square" ? LogSquare(double.Parse(text, CultureInfo.InvariantCulture)) : text;
                if (field.Tokens.TryGetValue(token, out int index))
                {
                    return field.Offset + _first + index;
                }

                OovCount++;
                return field.Offset + _oov;
            })];
        }

        private static string LogSquare(double x) =>
            (x > 2 ? (long)Math.Floor(Math.Log(x) * Math.Log(x)) : (long)Math.Truncate(x)).ToString(CultureInfo.InvariantCulture);
    }
}
