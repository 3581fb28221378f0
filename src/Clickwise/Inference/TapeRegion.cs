namespace Clickwise.Inference;

/// <summary>A [B, <see cref="Width"/>] activation of a compiled plan: its per-row offset on the <see cref="InferenceTape"/>.</summary>
internal readonly record struct TapeRegion(int Offset, int Width);
