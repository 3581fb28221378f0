namespace Clickwise.Models;

/// <summary>
/// FinalMLP's own settings beside the core (whose hidden units, activation and dropout are the first stream's, and also
/// the second stream's activation and dropout).
/// </summary>
public sealed record FinalMlpOptions : ModelOptions
{
    /// <summary>The second stream's hidden units; a wide single layer, against the first stream's deep stack.</summary>
    public int[] Mlp2HiddenUnits { get; init; } = [800];

    /// <summary>The hidden units of each stream's feature-selection gate MLP (context → hidden → F·D gate).</summary>
    public int[] FsHiddenUnits { get; init; } = [800];

    /// <summary>K, the heads of the bilinear fusion (FuxiCTR's default 1); both streams' output widths must be multiples of it.</summary>
    public int NumHeads { get; init; } = 1;

    public override void Validate()
    {
        if (Mlp2HiddenUnits.Length == 0 || Mlp2HiddenUnits.Any(h => h < 1) || FsHiddenUnits.Any(h => h < 1))
        {
            throw new ArgumentException(
                $"mlp2_hidden_units needs at least one layer and every layer of it and of fs_hidden_units a unit, got [{string.Join(", ", Mlp2HiddenUnits)}] and [{string.Join(", ", FsHiddenUnits)}].");
        }

        if (NumHeads < 1 || Mlp2HiddenUnits[^1] % NumHeads != 0)
        {
            throw new ArgumentException($"num_heads must divide the last of mlp2_hidden_units, got {NumHeads} and {Mlp2HiddenUnits[^1]}.");
        }
    }

    public override IEnumerable<string> Describe() =>
    [
        $"mlp2_hidden_units [{string.Join(", ", Mlp2HiddenUnits)}]", $"fs_hidden_units [{string.Join(", ", FsHiddenUnits)}]",
        $"num_heads {NumHeads}",
    ];
}
