namespace Clickwise.Compression.Pruning;

/// <summary>
/// The parts of a model DeepLight prunes, each with its own sparsity target and the letter the paper's notation
/// uses for it (e.g. "D-99% &amp; R-95% &amp; F-40%").
/// </summary>
public enum PruningComponent
{
    /// <summary>D: weights of the DNN's hidden layers (biases and the output layer are kept).</summary>
    Dnn,

    /// <summary>R: the FwFM field-pair weights (one per unordered pair, so symmetry holds by construction).</summary>
    FieldMatrix,

    /// <summary>F: the embedding table's values.</summary>
    Embedding,

    /// <summary>C: xDeepFM's CIN filters.</summary>
    Cin,
}
