namespace Clickwise.Models;

/// <summary>
/// The settings one model owns beyond the common core of <see cref="ModelConfig"/>: a record per model (or family),
/// named in its <see cref="ModelRegistry"/> entry, written in configs and model files as flat snake_case keys beside
/// the core ones. A model without settings of its own has <see cref="None"/>.
/// </summary>
public abstract record ModelOptions
{
    /// <summary>No settings beyond the core.</summary>
    public static ModelOptions None { get; } = new NoModelOptions();

    /// <summary>Rejects values the model cannot build with: an <see cref="ArgumentException"/> naming the config key.</summary>
    public virtual void Validate()
    {
    }

    /// <summary>The settings as "key value" phrases for <c>inspect</c>, in the config's own names.</summary>
    public abstract IEnumerable<string> Describe();

    private sealed record NoModelOptions : ModelOptions
    {
        public override IEnumerable<string> Describe() => [];
    }
}
