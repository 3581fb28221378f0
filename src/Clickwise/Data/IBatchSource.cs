namespace Clickwise.Data;

/// <summary>
/// A finite set of rows in the engine's layout, walked as mini-batches. A yielded <see cref="Batch"/> is
/// reused: it stays valid until the enumerator is advanced, so implementations may prefetch into a second
/// buffer while the consumer computes on the first.
/// </summary>
public interface IBatchSource
{
    int FieldCount { get; }

    long RowCount { get; }

    /// <summary>Batches of up to <paramref name="batchSize"/> rows, in a seeded random order when <paramref name="shuffle"/>.</summary>
    IEnumerable<Batch> Batches(int batchSize, bool shuffle, int seed);

    /// <summary>The same rows and batches, read on the consumer's thread (no prefetch); a source that does not prefetch is its own.</summary>
    IBatchSource Synchronous() => this;

    /// <summary>The same rows, shuffled by blocks of consecutive rows read a window at a time (<see cref="Cache.BlockShuffle"/>): for data larger than memory.</summary>
    IBatchSource BlockShuffled(int blockRows, int windowBlocks) =>
        throw new NotSupportedException($"{GetType().Name} holds its rows in memory and shuffles them whole; block shuffling is for a prepared cache");
}
