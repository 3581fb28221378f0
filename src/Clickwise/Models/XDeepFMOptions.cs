namespace Clickwise.Models;

/// <summary>xDeepFM's Compressed Interaction Network.</summary>
public sealed record XDeepFMOptions : ModelOptions
{
    /// <summary>H_1..H_K, the feature maps per CIN layer (the paper's 100×100×50).</summary>
    public int[] CinLayers { get; init; } = [100, 100, 50];

    /// <summary>
    /// Every layer but the last sends half its maps to the next layer and sum-pools the other half (the authors' code);
    /// those layers then need an even size.
    /// </summary>
    public bool CinSplitHalf { get; init; } = true;

    public override void Validate()
    {
        if (CinLayers.Length == 0 || CinLayers.Any(h => h < 1))
        {
            throw new ArgumentException(
                $"cin_layers needs at least one layer, each with at least one map, got [{string.Join(", ", CinLayers)}].");
        }

        if (CinSplitHalf && CinLayers[..^1].Any(h => h % 2 != 0))
        {
            throw new ArgumentException(
                $"cin_split_half needs an even size for every layer but the last, got [{string.Join(", ", CinLayers)}].");
        }
    }

    public override IEnumerable<string> Describe() =>
        [$"cin_layers [{string.Join(", ", CinLayers)}]", $"cin_split_half {(CinSplitHalf ? "true" : "false")}"];
}
