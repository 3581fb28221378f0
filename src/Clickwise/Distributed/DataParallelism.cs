using Clickwise.Layers;
using Clickwise.Training;

namespace Clickwise.Distributed;

/// <summary>
/// How a training run spreads over the ranks of a job: each rank trains on its shard of the training rows, the
/// gradients are exchanged every step (<see cref="Tables"/> says how the embedding tables take part), and rank 0
/// alone validates, checkpoints and writes the model.
/// </summary>
public sealed record DataParallelism(ICommunicator Communicator, TableSharding Tables)
{
    /// <summary>Whether this rank writes (rank 0).</summary>
    public bool IsLead => Communicator.Rank == 0;

    /// <summary>The exchange of a model's gradients, and the counters of its traffic.</summary>
    public (IGradientExchange Exchange, CommunicationStats Stats) CreateExchange(ParameterSet parameters)
    {
        if (Tables == TableSharding.Rows)
        {
            var sharded = new RowShardedTables(Communicator, parameters);
            return (sharded, sharded.Stats);
        }

        var replicated = new ReplicatedTables(Communicator, parameters);
        return (replicated, replicated.Stats);
    }
}
