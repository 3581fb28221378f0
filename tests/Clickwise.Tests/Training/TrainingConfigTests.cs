using System.Text.Json;
using Clickwise.IO;
using Clickwise.Training;

namespace Clickwise.Tests.Training;

public sealed class TrainingConfigTests
{
    [Fact]
    public void PresetsFollowTheSeedPapers()
    {
        TrainingConfig criteo = TrainingConfig.Preset("criteo"), avazu = TrainingConfig.Preset("avazu");
        Assert.Equal(("adam", 1e-3, 2048, 3e-7, 3e-7), (criteo.Optimizer, criteo.LearningRate, criteo.BatchSize, criteo.L2Embedding, criteo.L2Net));
        Assert.Equal(("adam", 1e-3, 2048, 6e-7, 6e-7), (avazu.Optimizer, avazu.LearningRate, avazu.BatchSize, avazu.L2Embedding, avazu.L2Net));
        Assert.Equal(3e-7f, criteo.OptimizerSettings.L2For(Clickwise.Layers.ParameterRole.Embedding));
        Assert.Throws<ArgumentException>(() => TrainingConfig.Preset("kdd"));
    }

    [Theory]
    [InlineData("""{"epochs":0}""", "epochs = 0 must be >= 1")]
    [InlineData("""{"learning_rate":-1}""", "learning_rate = -1 must be > 0")]
    [InlineData("""{"beta2":1}""", "beta2 = 1 must be in [0, 1)")]
    [InlineData("""{"optimizer":"adamw"}""", "optimizer 'adamw' is unknown")]
    public void ValidationNamesTheKey(string overrides, string message)
    {
        using JsonDocument doc = JsonDocument.Parse(overrides);
        JsonProperty p = doc.RootElement.EnumerateObject().Single();
        TrainingConfig config = p.Name switch
        {
            "epochs" => new TrainingConfig { Epochs = p.Value.GetInt32() },
            "learning_rate" => new TrainingConfig { LearningRate = p.Value.GetDouble() },
            "beta2" => new TrainingConfig { Beta2 = p.Value.GetDouble() },
            _ => new TrainingConfig { Optimizer = p.Value.GetString()! },
        };
        Assert.Contains(message, Assert.Throws<ArgumentException>(config.Validate).Message);
    }

    [Fact]
    public void JsonFormRoundTripsAndRejectsTypos()
    {
        TrainingConfig config = TrainingConfig.Avazu with { EarlyStoppingMetric = EarlyStopMetric.LogLoss, Eps = 1e-7 };
        string json = JsonSerializer.Serialize(config, ModelFiles.JsonOptions);
        Assert.Contains("\"early_stopping_metric\":\"log_loss\"", json);
        Assert.Equal(config, JsonSerializer.Deserialize<TrainingConfig>(json, ModelFiles.JsonOptions));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainingConfig>("""{"epochz":3}""", ModelFiles.JsonOptions));
    }
}
