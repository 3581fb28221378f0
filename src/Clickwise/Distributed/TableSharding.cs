namespace Clickwise.Distributed;

/// <summary>Where the embedding tables of data-parallel training live.</summary>
public enum TableSharding
{
    /// <summary>Whole on every rank; the touched rows' gradients are gathered (<see cref="ReplicatedTables"/>).</summary>
    Replicated,

    /// <summary>Each row on its owner, fetched and updated there (<see cref="RowShardedTables"/>).</summary>
    Rows,
}
