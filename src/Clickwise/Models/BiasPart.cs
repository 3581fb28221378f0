using Clickwise.Inference;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>The global bias w0 (one dense scalar, named "bias").</summary>
internal sealed class BiasPart
{
    public BiasPart(ParameterSet parameters) =>
        Value = parameters.Add(Parameter.Dense("bias", ParameterRole.Bias, 1));

    public Parameter Value { get; }

    /// <summary>Writes logits[b] = w0, the starting point every other component adds onto.</summary>
    public void Forward(int batchSize, Span<float> logits)
    {
        logits[..batchSize].Clear();
        GlobalBias.Forward(Value.Value[0], batchSize, logits);
    }

    public void Backward(ReadOnlySpan<float> dLogits, int batchSize) =>
        Value.Grad![0] += GlobalBias.Backward(dLogits, batchSize);

    /// <summary>w0 becomes the logit every row of the plan starts from.</summary>
    public void Lower(PlanBuilder plan) => plan.AddToStartLogit(Value.Value[0]);
}
