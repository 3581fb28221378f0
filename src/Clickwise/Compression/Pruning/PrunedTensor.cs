using Clickwise.Layers;

namespace Clickwise.Compression.Pruning;

/// <summary>One pruned parameter: which component it belongs to and its mask.</summary>
public sealed record PrunedTensor(Parameter Parameter, PruningComponent Component, PruneMask Mask);
