using Clickwise.IO;
using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Applies one update from the gradients a backward pass left in the parameters. Dense parameters are updated
/// in full; row-sparse ones (<see cref="Parameter.RowGrad"/> set) only on the rows the batch touched (lazy).
/// </summary>
public interface IOptimizer
{
    /// <summary>Registry name written into checkpoints: adam, adagrad, sgd.</summary>
    string Name { get; }

    void Step(ParameterSet parameters);

    /// <summary>
    /// The optimizer's state as tensors named <c>&lt;optimizer&gt;.&lt;slot&gt;/&lt;parameter&gt;</c> with role
    /// <see cref="OptimizerState.Role"/>. The tensors alias live state: write them out before the next step.
    /// </summary>
    IReadOnlyList<ModelTensor> ExportState(ParameterSet parameters);

    /// <summary>Replaces the state with tensors from <see cref="ExportState"/>; names and shapes must match.</summary>
    void ImportState(ParameterSet parameters, IReadOnlyList<ModelTensor> tensors);
}
