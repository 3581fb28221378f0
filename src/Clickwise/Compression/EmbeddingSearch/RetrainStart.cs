namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>Where OptEmbed's retrained model (<see cref="RetrainModel"/>) starts.</summary>
public enum RetrainStart
{
    /// <summary>The weights the supernet started training from, after any FM pre-training (the lottery-ticket rewind).</summary>
    Rewind,

    /// <summary>
    /// The draw of the supernet's seed, before any pre-training: an FNN reruns its FM pre-training under the found row mask and
    /// widths, so its tables start fitted to the architecture they retrain in. The same as <see cref="Rewind"/> for a model
    /// without pre-training.
    /// </summary>
    Draw,

    /// <summary>A fresh draw of the supernet's seed + 1.</summary>
    Fresh,
}
