using Clickwise.Features;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

/// <summary>
/// Issue 17: a size that cannot fit is refused from the config, before any allocation (an embedding of 100,000 took
/// 38 s and 6.5 GB to fail), and a model that fits is not.
/// </summary>
public sealed class ModelFootprintTests
{
    private static readonly FeatureLayout Criteo = new([.. Enumerable.Range(0, 39).Select(f => $"f{f}")], [.. Enumerable.Repeat(1000, 39)]);

    [Fact]
    public void ATensorPastWhatOneArrayHoldsIsRefusedNamingTheModel()
    {
        ModelConfig wide = ModelPresets.Criteo("deepfm") with { EmbeddingDim = 100_000 };
        var refused = Assert.Throws<ModelTooLargeException>(() => ModelFootprint.Check(wide, Criteo, batchSize: 2048)); // from the config alone
        Assert.StartsWith("deepfm with embedding_dim 100000 and hidden_units [400, 400, 400] over 39,000 table rows does not fit: a tensor would hold", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FullRankCrossLayersCountTheirSquareMatrices()
    {
        ModelConfig cross = ModelPresets.Criteo("dcnv2") with { EmbeddingDim = 2000 };
        double bytes = ModelFootprint.TrainingBytes(cross, Criteo, 2048);
        double squares = 3.0 * (39 * 2000.0) * (39 * 2000.0) * 4 /* copies */ * sizeof(float);
        Assert.True(bytes > squares, $"{bytes:E2} bytes do not hold the three (F·D)² cross matrices ({squares:E2})");
        var refused = Assert.Throws<ModelTooLargeException>(() => ModelFootprint.Check(cross, Criteo, batchSize: 2048));
        Assert.Contains("needs about", refused.Message);
    }

    [Fact]
    public void ThePresetModelsFit()
    {
        foreach (string name in ModelRegistry.Names)
        {
            ModelFootprint.Check(ModelPresets.Criteo(name), Criteo, batchSize: 2048);
        }
    }
}
