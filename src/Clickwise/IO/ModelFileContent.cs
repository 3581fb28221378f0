namespace Clickwise.IO;

/// <summary>
/// Everything one model file holds. <see cref="ConfigJson"/>, <see cref="FeatureMapJson"/> and
/// <see cref="ExtraJson"/> are JSON texts owned by their producers (model config, fitted feature map, training
/// metrics and state); this layer stores them verbatim and returns the same text.
/// </summary>
public sealed record ModelFileContent
{
    public required ModelFileKind Kind { get; init; }

    /// <summary>The format version the file was written in (<see cref="ModelFileFormat.CurrentVersion"/> for new content).</summary>
    public uint FormatVersion { get; init; } = ModelFileFormat.CurrentVersion;

    /// <summary>The config text in the current version's form: a version-1 config keeps only its model's own keys.</summary>
    public string CurrentConfigJson => FormatVersion == 1 ? Models.ModelConfigJson.MigrateVersion1(ConfigJson) : ConfigJson;

    public required string ConfigJson { get; init; }

    /// <summary>The feature map; null when the caller has none (synthetic layouts in tests).</summary>
    public string? FeatureMapJson { get; init; }

    /// <summary>A JSON object with anything else (metrics, optimizer metadata, trainer state); null for none.</summary>
    public string? ExtraJson { get; init; }

    public required IReadOnlyList<ModelTensor> Tensors { get; init; }

    public ModelTensor Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new ModelFormatException($"model file has no tensor '{name}'");
}
