namespace Clickwise.Models;

/// <summary>
/// The architecture of a model, serialised verbatim into model files. Training settings (optimizer, epochs,
/// batch size) live in the training config, not here: a model file must be loadable without them.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Registry name: lr, fm, fwfm, deepfm, deepfwfm, ipnn, opnn, pnn, deepfm-ip, deepfm-op, deepfm-p.</summary>
    public string Name { get; init; } = "deepfwfm";

    /// <summary>D, the embedding width of every field.</summary>
    public int EmbeddingDim { get; init; } = 10;

    /// <summary>H per hidden layer of the DNN part (DeepFM, DeepFwFM, the PNNs).</summary>
    public int[] HiddenUnits { get; init; } = [400, 400, 400];

    /// <summary>Dropout rate applied after every hidden layer while training (0 disables).</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>Standard deviation of the normal initialisation of embeddings.</summary>
    public float InitStd { get; init; } = 0.01f;

    /// <summary>Seeds initialisation and dropout masks.</summary>
    public int Seed { get; init; } = 2019;
}
