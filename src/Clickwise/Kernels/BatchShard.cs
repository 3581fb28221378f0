namespace Clickwise.Kernels;

/// <summary>
/// Which of <see cref="Count"/> equal row shards of every global training batch this process computes (data-parallel
/// rank <see cref="Index"/> of <see cref="Count"/>; one process: 0 of 1). Counter-based training randomness (dropout)
/// gives each shard its own part of a step's stream, so ranks never share masks and one process draws as before.
/// </summary>
public readonly record struct BatchShard(int Index, int Count)
{
    public static BatchShard Whole { get; } = new(0, 1);

    public BatchShard Validate() =>
        Count >= 1 && Index >= 0 && Index < Count ? this : throw new ArgumentOutOfRangeException(nameof(Index), $"shard {Index} of {Count}");
}
