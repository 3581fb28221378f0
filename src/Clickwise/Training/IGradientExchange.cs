using Clickwise.Data;
using Clickwise.Layers;
using Clickwise.Training.Optimizers;

namespace Clickwise.Training;

/// <summary>
/// What data-parallel training adds to a step, each call made by every rank at the same step: the trainer scales its
/// loss gradient by 1/<see cref="Ranks"/> (every rank's batch has the same size), so summing the ranks' gradients gives
/// the mean over the global batch — the gradient one process would compute on the concatenated batches.
/// </summary>
public interface IGradientExchange
{
    int Ranks { get; }

    /// <summary>Before the forward pass: tables kept elsewhere bring in the rows <paramref name="batch"/> reads.</summary>
    void BeforeForward(Batch batch, ParameterSet parameters);

    /// <summary>
    /// After the backward pass: leaves in every parameter the gradient of the global batch that this rank's optimizer
    /// applies, and returns the global batch's mean loss (NaN on every rank when any rank's was) and rows.
    /// </summary>
    StepTotals Reduce(ParameterSet parameters, double loss, int rows);

    /// <summary>Before validation, checkpoints and the end: every rank holds the whole model and optimizer state.</summary>
    void Synchronize(ParameterSet parameters, IOptimizer optimizer);
}

/// <summary>The global batch of one step: its mean loss and its rows.</summary>
public readonly record struct StepTotals(double Loss, int Rows);
