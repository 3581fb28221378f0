using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>The LR first-order term Σ_f w[id]·x with w a row-sparse [V, 1] table, and its output [B].</summary>
internal sealed class FirstOrderPart
{
    public FirstOrderPart(ParameterSet parameters, FeatureLayout layout, float initStd, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Weights = parameters.Add(Parameter.RowSparse("first_order", ParameterRole.FirstOrder, layout.TotalRows, 1)).Normal(random, initStd);
    }

    /// <summary>Plans the output for batches of up to <paramref name="maxBatchSize"/> rows (the model plans the table's row gradient).</summary>
    public void Prepare(int maxBatchSize)
    {
        Output = new float[maxBatchSize];
    }

    public Parameter Weights { get; }

    public int FieldCount { get; }

    public float[] Output { get; private set; } = [];

    /// <summary>Adds the first-order term to <paramref name="logits"/>.</summary>
    public void Forward(Batch batch, Span<float> logits)
    {
        FirstOrder.Forward(Weights.Value, batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
            batch.Count, FieldCount, Output, batch.ExtrasInUse);
        LogitSum.Add(Output, batch.Count, logits);
    }

    public void Backward(Batch batch, ReadOnlySpan<float> dLogits) =>
        FirstOrder.Backward(Weights.Value, batch.IdsInUse, batch.ValuesInUse, batch.HasValues,
            dLogits, batch.Count, FieldCount, Weights.RowGrad!, default, batch.ExtrasInUse);

    public void Lower(PlanBuilder plan) => plan.Add(new FirstOrderOp(Weights.Value, FieldCount));
}
