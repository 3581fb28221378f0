using Clickwise.Layers;

namespace Clickwise.Training.Optimizers;

/// <summary>What an optimizer remembers about one parameter: its slots (moments, accumulators) and step counts.</summary>
public sealed class OptimizerState
{
    /// <summary>Role written for optimizer tensors in checkpoints.</summary>
    public const string Role = "optimizer";

    internal OptimizerState(Parameter parameter, int slotCount, bool countsRowSteps)
    {
        Slots = new float[slotCount][];
        for (int i = 0; i < slotCount; i++)
        {
            Slots[i] = new float[parameter.Length];
        }

        RowSteps = countsRowSteps && parameter.IsRowSparse ? new int[parameter.RowCount] : null;
    }

    /// <summary>One array per slot, each the length of the parameter.</summary>
    public float[][] Slots { get; }

    /// <summary>Per-row step counts of a row-sparse parameter (lazy Adam's bias correction); null otherwise.</summary>
    public int[]? RowSteps { get; }

    /// <summary>
    /// An upper bound on every entry of <see cref="RowSteps"/> (a row steps at most once per update), so lazy Adam can
    /// size its coefficient table without reading the step of every touched row; −1 when unknown (after a load).
    /// </summary>
    internal int RowStepBound { get; set; }

    /// <summary>Steps taken by a parameter without <see cref="RowSteps"/>.</summary>
    public long Steps { get; internal set; }
}
