namespace Clickwise.Models;

/// <summary>The cross network of dcn and gdcn: L cross layers beside the DNN.</summary>
public record CrossOptions : ModelOptions
{
    /// <summary>L, the number of cross layers.</summary>
    public int CrossLayers { get; init; } = 3;

    public override void Validate()
    {
        if (CrossLayers < 1)
        {
            throw new ArgumentException($"cross_layers must be at least 1, got {CrossLayers}.");
        }
    }

    public override IEnumerable<string> Describe() => [$"cross_layers {CrossLayers}"];
}
