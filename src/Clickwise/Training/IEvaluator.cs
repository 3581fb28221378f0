using Clickwise.Data;
using Clickwise.Models;

namespace Clickwise.Training;

/// <summary>Scores a model on labelled data; the trainer calls it once per epoch for early stopping.</summary>
public interface IEvaluator
{
    EvalResult Evaluate(CtrModel model, IBatchSource data, int batchSize);
}
