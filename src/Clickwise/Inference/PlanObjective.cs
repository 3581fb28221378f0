namespace Clickwise.Inference;

/// <summary>What the compiler optimises where a pruned model leaves it a choice of representations.</summary>
public enum PlanObjective
{
    /// <summary>Per op and per path (single requests, blocks of rows), whatever ran fastest here, even if it keeps extra copies.</summary>
    Speed,

    /// <summary>
    /// The fewest bytes: compact tables and sparse weights wherever they are smaller, one copy of each dense layer
    /// (its GEMM packing, which then also serves single requests). DeepLight's "low memory" setting wants this.
    /// </summary>
    Memory,
}
