namespace Clickwise.Models;

/// <summary>The interacting (multi-head self-attention) layers of autoint and autoint+, with the AutoInt paper's defaults.</summary>
public sealed record AutoIntOptions : ModelOptions
{
    /// <summary>L, the interacting layers.</summary>
    public int AttentionLayers { get; init; } = 3;

    /// <summary>K, the heads of every layer.</summary>
    public int AttentionHeads { get; init; } = 2;

    /// <summary>d', the width of one head (a layer's output per field is K·d').</summary>
    public int AttentionDim { get; init; } = 32;

    /// <summary>Whether every layer adds the residual projection e·W_res before its ReLU.</summary>
    public bool AttentionResidual { get; init; } = true;

    public override void Validate()
    {
        if (AttentionLayers < 1 || AttentionHeads < 1 || AttentionDim < 1)
        {
            throw new ArgumentException(
                $"attention_layers, attention_heads and attention_dim must be at least 1, got {AttentionLayers}, {AttentionHeads} and {AttentionDim}.");
        }
    }

    public override IEnumerable<string> Describe() =>
    [
        $"attention_layers {AttentionLayers}", $"attention_heads {AttentionHeads}", $"attention_dim {AttentionDim}",
        $"attention_residual {(AttentionResidual ? "true" : "false")}",
    ];
}
