using System.Runtime.InteropServices;
using Clickwise.Data;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Distributed;

/// <summary>
/// Validation on rank 0 only, its result broadcast: every rank then takes the same early-stopping decisions (and
/// stops at the same epoch) without the others reading the validation rows.
/// </summary>
public sealed class LeaderEvaluator(ICommunicator communicator, IEvaluator evaluator) : IEvaluator
{
    public EvalResult Evaluate(CtrModel model, IBatchSource data, int batchSize)
    {
        Span<EvalResult> result = stackalloc EvalResult[1];
        if (communicator.Rank == 0)
        {
            result[0] = evaluator.Evaluate(model, data, batchSize);
        }

        communicator.Broadcast(MemoryMarshal.AsBytes(result), root: 0);
        return result[0];
    }
}
