namespace Clickwise.Models;

/// <summary>
/// The seed papers' architectures (DeepLight §5.1, Table 2 setup): Criteo — embedding 10, DNN 400×400×400,
/// dropout 0.5; Avazu — embedding 20, DNN 300×300×300, dropout 0.5. <see cref="TrainingFor"/> carries the
/// matching optimiser numbers for the training config (they do not belong in a model file).
/// </summary>
public static class ModelPresets
{
    public static ModelConfig Criteo(string model = "deepfwfm") => new()
    {
        Name = model,
        EmbeddingDim = 10,
        HiddenUnits = [400, 400, 400],
        Dropout = 0.5f,
    };

    public static ModelConfig Avazu(string model = "deepfwfm") => new()
    {
        Name = model,
        EmbeddingDim = 20,
        HiddenUnits = [300, 300, 300],
        Dropout = 0.5f,
    };

    /// <summary>Paper training defaults by preset name ("criteo", "avazu").</summary>
    public static PaperTrainingDefaults TrainingFor(string preset) => preset switch
    {
        "criteo" => new PaperTrainingDefaults(LearningRate: 1e-3f, L2: 3e-7f, BatchSize: 2048),
        "avazu" => new PaperTrainingDefaults(LearningRate: 1e-3f, L2: 6e-7f, BatchSize: 2048),
        _ => throw new ArgumentException($"unknown preset '{preset}'; known: criteo, avazu.", nameof(preset)),
    };
}

/// <summary>Adam learning rate, L2 penalty and batch size used with a preset in the seed papers.</summary>
public sealed record PaperTrainingDefaults(float LearningRate, float L2, int BatchSize);
