using System.Globalization;
using Clickwise.IO;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Issue 17, class 3, non-finite arithmetic: a libsvm value of 3e38 gave NaN probabilities with exit 0 (and
/// <c>eval</c> exit 1), 1e20 a probability of exactly 0 and a logloss of 2.8e16; Adam with <c>--lr 1e6</c> diverged
/// without a NaN and overwrote the previous model with exit 0; a checksum-valid model with NaN weights loaded
/// "checksum ok" and predicted NaN.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class NonFiniteArithmeticTests : IDisposable
{
    private const int Rows = 2000, BadLine = 500, Diverged = 3, DataError = 65;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Three one-hot fields whose first decides the label mostly; line <see cref="BadLine"/> carries <paramref name="value"/>.</summary>
    private string LibsvmWith(string value)
    {
        var random = new Random(5);
        var lines = new string[Rows];
        for (int i = 0; i < Rows; i++)
        {
            int a = random.Next(20), b = 100 + random.Next(50), c = 200 + random.Next(50);
            int label = (a < 8) ^ (random.NextDouble() < 0.2) ? 1 : 0;
            string first = i + 1 == BadLine ? value : "1";
            lines[i] = string.Create(CultureInfo.InvariantCulture, $"{label} {a}:{first} {b}:1 {c}:0.5");
        }

        string path = _directory.File($"v{value}.libsvm");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("3e38")]
    [InlineData("1e20")]
    public void AHugeLibsvmValueIsABadLineNotANaNProbability(string value)
    {
        string data = LibsvmWith(value);
        string model = _directory.File("m.cwm");
        string[] train = ["train", "-d", data, "--format", "libsvm", "--model", "fm", "--epochs", "1", "--batch-size", "64", "-o", model, "--quiet"];

        CliResult strict = CliRunner.Expect(65, train);
        Assert.StartsWith($"clickwise: {data}:{BadLine}: feature value out of range (|value| > 1e6): '", strict.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(model));

        CliResult lenient = CliRunner.Expect(0, [.. train, "--skip-bad"]);
        Assert.Contains($"lines={Rows}, parsed={Rows - 1}, skipped=1 (feature value out of range (|value| > 1e6)=1)", lenient.Out);

        CliResult eval = CliRunner.Expect(0, "eval", "-m", model, "-d", data, "--skip-bad", "--json");
        using var json = System.Text.Json.JsonDocument.Parse(eval.Out);
        double logloss = json.RootElement.GetProperty("logloss").GetDouble();
        Assert.InRange(logloss, 0.3, 0.7);
        Assert.InRange(json.RootElement.GetProperty("auc").GetDouble(), 0.7, 0.9);
        Assert.Equal(1, json.RootElement.GetProperty("skipped").GetInt64());
    }

    private string DataPath => _directory.File("data.tsv");

    private string GoodModelPath => _directory.File("fm.cwm");

    /// <summary>A synthetic file and an FM trained on it with sane settings.</summary>
    private void TrainAGoodModel()
    {
        CliRunner.Expect(0, "synth", "--rows", "6000", "--seed", "8", "-o", DataPath);
        CliRunner.Expect(0, "train", "-d", DataPath, "--model", "fm", "--epochs", "1", "--batch-size", "256", "-o", GoodModelPath, "--quiet");
    }

    [Fact]
    public void AdamWithLr1e6StopsAsDivergedAndKeepsThePreviousModel()
    {
        TrainAGoodModel();
        byte[] before = File.ReadAllBytes(GoodModelPath);

        CliResult result = CliRunner.Expect(Diverged, "train", "-d", DataPath, "--model", "fm", "--epochs", "2", "--batch-size", "256",
            "--optimizer", "adam", "--lr", "1e6", "-o", GoodModelPath, "--quiet");

        Assert.StartsWith("clickwise: training stopped: the run diverged (train logloss ", result.Error, StringComparison.Ordinal);
        Assert.Contains("is over 10 ln 2 = 6.931; try a smaller --lr) at epoch 1, step 20 (global step 20)", result.Error);
        Assert.Equal(before, File.ReadAllBytes(GoodModelPath));
    }

    [Fact]
    public void AChecksumValidModelWithANaNWeightIsRefusedByPredictAndEval()
    {
        TrainAGoodModel();
        ModelFileContent good = ModelFileReader.Read(GoodModelPath);
        ModelTensor first = good.Tensors.First(t => t.DType == TensorDType.Float32 && t.ElementCount > 3);
        float[] poisoned = first.Float32Data.ToArray();
        poisoned[3] = float.NaN;
        string bad = _directory.File("nan.cwm");
        ModelFileWriter.Write(bad, good with
        {
            Tensors = [.. good.Tensors.Select(t => t == first ? ModelTensor.Float32(t.Name, t.Role, t.Shape, poisoned) : t)],
        });

        string expected = $"clickwise: {bad}: tensor '{first.Name}' holds a non-finite value (NaN at element 3)";
        Assert.StartsWith(expected, CliRunner.Expect(DataError, "predict", "-m", bad, "-d", DataPath, "-o", _directory.File("p.txt")).Error, StringComparison.Ordinal);
        Assert.StartsWith(expected, CliRunner.Expect(DataError, "eval", "-m", bad, "-d", DataPath).Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("p.txt")));
    }
}
