using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>Per-field overrides of the <see cref="DataConfig"/> defaults; null keeps the default.</summary>
public sealed record FieldOptions
{
    public int? MinCount { get; init; }

    public int? HashBuckets { get; init; }

    public NumericTransform? NumericTransform { get; init; }
}
