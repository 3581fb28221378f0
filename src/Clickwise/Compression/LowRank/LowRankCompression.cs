using Clickwise.Models;

namespace Clickwise.Compression.LowRank;

/// <summary>A compressed model (its description and tensors, ready for <see cref="ModelRegistry.Load"/>) and what was done.</summary>
public sealed record LowRankCompression(
    ModelConfig Config,
    IReadOnlyDictionary<string, float[]> Tensors,
    IReadOnlyList<LowRankLayer> Layers,
    long ParametersBefore,
    long ParametersAfter);
