using System.Text.Json;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>FiBiNet's SENET and bilinear interaction.</summary>
public sealed record FiBiNetOptions : ModelOptions
{
    /// <summary>The bilinear weight sharing; one W_ij per pair by default, as DeepCTR(-Torch) and FuxiCTR.</summary>
    public BilinearKind BilinearType { get; init; } = BilinearKind.FieldInteraction;

    /// <summary>The SENET reduction ratio r (bottleneck R = max(1, F / r)); 3 as in DeepCTR and FuxiCTR.</summary>
    public int SenetReduction { get; init; } = 3;

    public override void Validate()
    {
        if (SenetReduction < 1)
        {
            throw new ArgumentException($"senet_reduction must be at least 1, got {SenetReduction}.");
        }

        if (!Enum.IsDefined(BilinearType))
        {
            throw new ArgumentException(
                $"bilinear_type must be one of {string.Join(", ", Enum.GetNames<BilinearKind>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))}.");
        }
    }

    public override IEnumerable<string> Describe() =>
        [$"bilinear_type {JsonNamingPolicy.SnakeCaseLower.ConvertName(BilinearType.ToString())}", $"senet_reduction {SenetReduction}"];
}
