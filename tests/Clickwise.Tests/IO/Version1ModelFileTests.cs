using System.Globalization;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Tests.Cli;

namespace Clickwise.Tests.IO;

/// <summary>Model files written in format 1 (by 6a301c9; Fixtures/v1/README.md) load, migrate and predict as they did then.</summary>
public sealed class Version1ModelFileTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1");

    public static TheoryData<string> Models => ["deepfwfm", "xdeepfm", "dcnv2", "fibinet", "autoint"];

    [Theory]
    [MemberData(nameof(Models))]
    public void AVersion1FilePredictsWhatItPredictedWhenWritten(string model)
    {
        string output = Path.Combine(Path.GetTempPath(), $"clickwise-v1-{model}-{Guid.NewGuid():N}.txt");
        try
        {
            CliRunner.Expect(0, "predict", "-m", Path.Combine(Folder, model + ".cwm"), "-d", Path.Combine(Folder, "rows.tsv"),
                "--format", "criteo", "-o", output);
            double[] expected = Read(Path.Combine(Folder, model + ".predictions.txt"));
            double[] actual = Read(output);
            Assert.Equal(200, expected.Length);
            Assert.Equal(expected.Length, actual.Length);
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 2e-6, $"{model}: largest difference {worst:G3}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void AVersion1HeaderMigratesToTheModelsOwnSettings()
    {
        Assert.Equal(1u, ModelFileReader.Read(Path.Combine(Folder, "deepfwfm.cwm")).FormatVersion);
        Assert.Same(ModelOptions.None, ModelArtifact.Load(Path.Combine(Folder, "deepfwfm.cwm")).Config.Options);
        XDeepFMOptions cin = ModelArtifact.Load(Path.Combine(Folder, "xdeepfm.cwm")).Config.OptionsOf<XDeepFMOptions>();
        Assert.Equal([4, 2], cin.CinLayers);
        Assert.True(cin.CinSplitHalf);
        Assert.Equal(new DcnV2Options { CrossLayers = 2 }, ModelArtifact.Load(Path.Combine(Folder, "dcnv2.cwm")).Config.Options);
        Assert.Equal(new FiBiNetOptions(), ModelArtifact.Load(Path.Combine(Folder, "fibinet.cwm")).Config.Options);
        Assert.Equal(new AutoIntOptions(), ModelArtifact.Load(Path.Combine(Folder, "autoint.cwm")).Config.Options);
        Assert.Contains("model dcnv2: embedding_dim 4, hidden_units [8], activation relu, dropout 0.5, cross_layers 2, full rank",
            CliRunner.Expect(0, "inspect", "-m", Path.Combine(Folder, "dcnv2.cwm")).Out);
    }

    private static double[] Read(string path) =>
        [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line => double.Parse(line, CultureInfo.InvariantCulture))];
}
