using System.Text.Json;
using System.Text.Json.Serialization;
using Clickwise.Data.Cache;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// How raw rows become a prepared dataset (conventions §12: typed, validated up front, unknown keys are errors).
/// Defaults apply to every field; <see cref="Fields"/> overrides them by field name. In files the keys are
/// snake_case (<c>min_count</c>, <c>hash_buckets</c>, <c>numeric_transform: log_square|none</c>,
/// <c>split: {train, valid, test}</c>, <c>split_mode: random|sequential</c>, <c>seed</c>, <c>hash_seed</c>,
/// <c>pooling: sum|mean</c>, <c>fields</c>).
/// </summary>
public sealed record DataConfig
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
    };

    /// <summary>Categories seen fewer times become OOV (the seeds use 8 for Criteo, 5 for Avazu).</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>0 = fitted vocabulary; &gt; 0 = feature hashing into that many buckets per field.</summary>
    public int HashBuckets { get; init; }

    public NumericTransform NumericTransform { get; init; } = NumericTransform.LogSquare;

    public uint HashSeed { get; init; }

    public SplitRatios Split { get; init; } = SplitRatios.Default;

    public SplitMode SplitMode { get; init; } = SplitMode.Random;

    /// <summary>Seed of the random split (batch shuffling takes its own seed per epoch).</summary>
    public int Seed { get; init; } = 2019;

    /// <summary>How a multi-hot field's features (libsvm/libffm) combine; saved in the feature map.</summary>
    public Pooling Pooling { get; init; } = Pooling.Sum;

    public IReadOnlyDictionary<string, FieldOptions> Fields { get; init; } = new Dictionary<string, FieldOptions>();

    /// <summary>Criteo as in the seeds: min count 8, 90/10 with a tenth of train as validation.</summary>
    public static DataConfig Criteo { get; } = new() { MinCount = 8, Split = new SplitRatios(0.81, 0.09, 0.1) };

    /// <summary>Avazu as in the seeds: min count 5, 80/20 with a tenth of train as validation.</summary>
    public static DataConfig Avazu { get; } = new() { MinCount = 5, Split = new SplitRatios(0.72, 0.08, 0.2) };

    public void Validate()
    {
        Split.Validate();
        ToSpec("(default)", FieldKind.Categorical, null).Validate();
        foreach ((string name, FieldOptions options) in Fields)
        {
            ToSpec(name, FieldKind.Categorical, options).Validate();
        }
    }

    /// <summary>One spec per field of <paramref name="schema"/>; an override naming no field is an error.</summary>
    public FeatureSpec[] SpecsFor(DataSchema schema)
    {
        Validate();
        foreach (string name in Fields.Keys)
        {
            if (!schema.FieldNames.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"config overrides field '{name}', which the data does not have ({string.Join(", ", schema.FieldNames)})");
            }
        }

        var specs = new FeatureSpec[schema.FieldCount];
        for (int f = 0; f < specs.Length; f++)
        {
            string name = schema.FieldNames[f];
            specs[f] = ToSpec(name, schema.Kinds[f], Fields.GetValueOrDefault(name));
        }

        return specs;
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public static DataConfig FromJson(string json)
    {
        DataConfig config;
        try
        {
            config = JsonSerializer.Deserialize<DataConfig>(json, s_json) ?? throw new FormatException("data config is null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid data config: {e.Message}", e);
        }

        config.Validate();
        return config;
    }

    /// <summary>The same keys as <see cref="FromJson"/>, written as YAML.</summary>
    public static DataConfig FromYaml(string yaml) => FromJson(YamlToJson.Convert(yaml));

    /// <summary>Reads a <c>.json</c>, <c>.yaml</c> or <c>.yml</c> file.</summary>
    public static DataConfig Load(string path)
    {
        string text = File.ReadAllText(path);
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" ? FromYaml(text) : FromJson(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    private FeatureSpec ToSpec(string name, FieldKind kind, FieldOptions? options) => new(
        name,
        kind,
        options?.MinCount ?? MinCount,
        options?.HashBuckets ?? HashBuckets,
        options?.NumericTransform ?? NumericTransform);
}
