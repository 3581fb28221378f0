using System.Globalization;
using System.Text.RegularExpressions;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// xLearn's Criteo sample names a field more than once in 20 of its 200 training rows: every row trains, multi-hot
/// fields pooled, and FFM and DeepFM learn something from it. No validation part (19 rows would stop training by noise).
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class XlearnLibffmTests
{
    [Theory]
    [Trait("Category", SharedData.Category)]
    // AUCs measured on small_test.txt (sum; mean 0.62175 and 0.55230), the same on every run: a fixed seed and splits
    // whose sums do not depend on the thread count. The margins leave room for other vector widths' rounding.
    [InlineData("ffm", 5, "sum", 0.634, 0.60)]
    [InlineData("deepfm", 3, "sum", 0.558, 0.53)]
    [InlineData("ffm", 5, "mean", 0.622, 0.59)]
    public void TrainsOnEveryRowAndScoresTheTestFileAsEvalDoes(string model, int epochs, string pooling, double measured, double floor)
    {
        using var dir = new TempDirectory();
        string train = SharedData.Path("criteo_xlearn_libffm/small_train.txt"), test = SharedData.Path("criteo_xlearn_libffm/small_test.txt");
        string path = dir.File($"{model}.cwm");
        CliResult result = CliRunner.Expect(0, "train", "-d", train, "--test", test, "--format", "libffm", "--model", model, "--pooling", pooling,
            "--batch-size", "16", "--embedding-dim", "4", "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--set", "preprocessing.split.train=1", "--set", "preprocessing.split.valid=0", "--set", "preprocessing.split.test=0",
            "-o", path, "--quiet");
        Assert.Contains("rows 200 (train 200, valid 0, test 200); lines=200, parsed=200, skipped=0", result.Out);
        double auc = double.Parse(TestAuc().Match(result.Out).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(auc > floor, $"{model} ({pooling}) test AUC {auc}, measured {measured}");

        // eval re-reads the text through the model's feature map, which carries the pooling.
        CliResult eval = CliRunner.Expect(0, "eval", "-m", path, "-d", test, "--format", "libffm");
        Assert.Contains($"rows 200  AUC {auc.ToString("F5", CultureInfo.InvariantCulture)}", eval.Out);
    }

    [GeneratedRegex(@"small_test\.txt AUC (0\.\d{5})")]
    private static partial Regex TestAuc();
}
