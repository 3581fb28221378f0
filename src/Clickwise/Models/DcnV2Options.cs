namespace Clickwise.Models;

/// <summary>DCNv2's cross network: full-rank layers (W [X, X]) or, with a rank r &gt; 0, the low-rank mixture of experts.</summary>
public sealed record DcnV2Options : CrossOptions
{
    /// <summary>0 for the full-rank layer; r &gt; 0 for the mixture of <see cref="CrossExperts"/> experts of rank r.</summary>
    public int CrossRank { get; init; }

    /// <summary>M, the experts of the low-rank mixture (used when <see cref="CrossRank"/> &gt; 0); 4 as in the paper.</summary>
    public int CrossExperts { get; init; } = 4;

    public override void Validate()
    {
        base.Validate();
        if (CrossRank < 0 || CrossExperts < 1)
        {
            throw new ArgumentException($"cross_rank must be >= 0 and cross_experts >= 1, got {CrossRank} and {CrossExperts}.");
        }
    }

    public override IEnumerable<string> Describe() => CrossRank > 0
        ? [.. base.Describe(), $"cross_rank {CrossRank}", $"cross_experts {CrossExperts}"]
        : [.. base.Describe(), "full rank"];
}
