using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// A <see cref="ModelConfig"/> in JSON: one flat object, the core keys and then the keys of the model's
/// <see cref="ModelOptions"/> record, polymorphic by <c>name</c>. Reading rejects a key the named model does not have,
/// and a value of the wrong kind, in the config's terms (never .NET type names). Format-1 model files wrote every
/// model's keys into every header; <see cref="MigrateVersion1"/> drops the ones the model does not own.
/// </summary>
public sealed class ModelConfigJson : JsonConverter<ModelConfig>
{
    private const string DefaultName = "deepfwfm";

    /// <summary>The keys every model reads (the DNN's three only matter to the models that have one).</summary>
    private static readonly string[] CoreKeys =
        ["name", "embedding_dim", "embedding_rank", "embedding_tt_rank", "embedding_tt_fields", "embedding_qr_collisions", "embedding_qr_fields",
         "embedding_qr_op", "embedding_threshold", "embedding_kept_rows",
         "embedding_pruned_rows", "embedding_dim_sampling", "embedding_field_dims", "hidden_units", "activation", "dropout", "mlp_ranks", "mlp_inner_relu", "init_std", "seed"];

    private static readonly string[] DnnKeys = ["hidden_units", "activation", "dropout", "mlp_ranks", "mlp_inner_relu"];

    /// <summary>Every model-specific key a format-1 header could hold.</summary>
    private static readonly string[] Version1Keys =
    [
        "cross_layers", "cross_rank", "cross_experts", "cin_layers", "cin_split_half", "bilinear_type", "senet_reduction",
        "attention_layers", "attention_heads", "attention_dim", "attention_residual",
    ];

    private static readonly JsonSerializerOptions Plain = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public override ModelConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonNode.Parse(ref reader) is JsonObject json
            ? FromJson(json)
            : throw new JsonException("the model config must be a JSON object of settings");

    public override void Write(Utf8JsonWriter writer, ModelConfig value, JsonSerializerOptions options) => ToJson(value).WriteTo(writer);

    /// <summary>A format-1 header's config text with the keys of other models dropped, ready for the reader.</summary>
    public static string MigrateVersion1(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject config)
        {
            return json;
        }

        string name = config["name"]?.GetValue<string>() ?? DefaultName;
        HashSet<string> own = [.. OptionKeys(ModelRegistry.DefaultOptions(name).GetType())];
        foreach (string key in Version1Keys.Where(k => !own.Contains(k)))
        {
            config.Remove(key);
        }

        return config.ToJsonString();
    }

    internal static ModelConfig With(ModelConfig config, IEnumerable<(string Key, string Value)> settings)
    {
        JsonObject json = ToJson(config);
        foreach ((string key, string value) in settings)
        {
            json[key] = Value(value);
        }

        try
        {
            ModelConfig changed = FromJson(json);
            changed.Validate();
            return changed;
        }
        catch (JsonException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    internal static IReadOnlyList<string> Keys(ModelConfig config) =>
        [.. CoreKeys.Where(k => config.HasDnn || Array.IndexOf(DnnKeys, k) < 0), .. OptionKeys(config.Options.GetType())];

    internal static string EnumName<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static JsonObject ToJson(ModelConfig config)
    {
        var json = new JsonObject
        {
            ["name"] = config.Name,
            ["embedding_dim"] = config.EmbeddingDim,
        };
        if (config.EmbeddingRank > 0)
        {
            json["embedding_rank"] = config.EmbeddingRank;
        }

        if (config.EmbeddingTtRank > 0)
        {
            json["embedding_tt_rank"] = config.EmbeddingTtRank;
            json["embedding_tt_fields"] = config.EmbeddingTtFields;
        }

        if (config.EmbeddingQrCollisions > 0)
        {
            json["embedding_qr_collisions"] = config.EmbeddingQrCollisions;
            json["embedding_qr_fields"] = config.EmbeddingQrFields;
            json["embedding_qr_op"] = EnumName(config.EmbeddingQrOperation);
        }

        if (config.EmbeddingThreshold != RowThreshold.None)
        {
            json["embedding_threshold"] = EnumName(config.EmbeddingThreshold);
        }

        if (config.EmbeddingKeptRows)
        {
            json["embedding_kept_rows"] = true;
        }

        if (config.EmbeddingThreshold != RowThreshold.None || config.EmbeddingKeptRows)
        {
            json["embedding_pruned_rows"] = EnumName(config.EmbeddingPrunedRows);
        }

        if (config.EmbeddingDimSampling)
        {
            json["embedding_dim_sampling"] = true;
        }

        if (config.EmbeddingFieldDims.Length > 0)
        {
            json["embedding_field_dims"] = JsonSerializer.SerializeToNode(config.EmbeddingFieldDims, Plain);
        }

        if (config.HasDnn)
        {
            json["hidden_units"] = JsonSerializer.SerializeToNode(config.HiddenUnits, Plain);
            json["activation"] = EnumName(config.Activation);
            json["dropout"] = config.Dropout;
            if (config.MlpRanks.Length > 0)
            {
                json["mlp_ranks"] = JsonSerializer.SerializeToNode(config.MlpRanks, Plain);
                json["mlp_inner_relu"] = config.MlpInnerRelu;
            }
        }

        json["init_std"] = config.InitStd;
        json["seed"] = config.Seed;
        if (JsonSerializer.SerializeToNode(config.Options, config.Options.GetType(), Plain) is JsonObject own)
        {
            foreach ((string key, JsonNode? node) in own)
            {
                json[key] = node?.DeepClone();
            }
        }

        return json;
    }

    private static ModelConfig FromJson(JsonObject json)
    {
        string name = Read<string>(json, "name", typeof(string)) ?? DefaultName;
        Type optionsType = ModelRegistry.DefaultOptions(name).GetType();
        string[] ownKeys = OptionKeys(optionsType);
        var own = new JsonObject();
        foreach ((string key, JsonNode? node) in json)
        {
            if (Array.IndexOf(ownKeys, key) >= 0)
            {
                own[key] = node?.DeepClone();
            }
            else if (Array.IndexOf(CoreKeys, key) < 0)
            {
                IEnumerable<string> core = CoreKeys.Skip(1).Where(k => ModelRegistry.HasDnn(name) || Array.IndexOf(DnnKeys, k) < 0);
                throw new JsonException($"model '{name}' has no setting '{key}'; its settings are {string.Join(", ", core.Concat(ownKeys))}");
            }
        }

        var config = new ModelConfig { Name = name };
        config = json.ContainsKey("embedding_dim") ? config with { EmbeddingDim = Read<int>(json, "embedding_dim", typeof(int)) } : config;
        config = json.ContainsKey("embedding_rank") ? config with { EmbeddingRank = Read<int>(json, "embedding_rank", typeof(int)) } : config;
        config = json.ContainsKey("embedding_tt_rank") ? config with { EmbeddingTtRank = Read<int>(json, "embedding_tt_rank", typeof(int)) } : config;
        config = json.ContainsKey("embedding_tt_fields") ? config with { EmbeddingTtFields = Read<int>(json, "embedding_tt_fields", typeof(int)) } : config;
        config = json.ContainsKey("embedding_qr_collisions")
            ? config with { EmbeddingQrCollisions = Read<int>(json, "embedding_qr_collisions", typeof(int)) }
            : config;
        config = json.ContainsKey("embedding_qr_fields") ? config with { EmbeddingQrFields = Read<int>(json, "embedding_qr_fields", typeof(int)) } : config;
        config = json.ContainsKey("embedding_qr_op")
            ? config with { EmbeddingQrOperation = Read<QrOperation>(json, "embedding_qr_op", typeof(QrOperation)) }
            : config;
        config = json.ContainsKey("embedding_threshold")
            ? config with { EmbeddingThreshold = Read<RowThreshold>(json, "embedding_threshold", typeof(RowThreshold)) }
            : config;
        config = json.ContainsKey("embedding_kept_rows")
            ? config with { EmbeddingKeptRows = Read<bool>(json, "embedding_kept_rows", typeof(bool)) }
            : config;
        config = json.ContainsKey("embedding_pruned_rows")
            ? config with { EmbeddingPrunedRows = Read<PrunedRows>(json, "embedding_pruned_rows", typeof(PrunedRows)) }
            : config;
        config = json.ContainsKey("embedding_dim_sampling")
            ? config with { EmbeddingDimSampling = Read<bool>(json, "embedding_dim_sampling", typeof(bool)) }
            : config;
        config = json.ContainsKey("embedding_field_dims")
            ? config with { EmbeddingFieldDims = Read<int[]>(json, "embedding_field_dims", typeof(int[]))! }
            : config;
        config = json.ContainsKey("hidden_units") ? config with { HiddenUnits = Read<int[]>(json, "hidden_units", typeof(int[]))! } : config;
        config = json.ContainsKey("activation") ? config with { Activation = Read<Activation>(json, "activation", typeof(Activation)) } : config;
        config = json.ContainsKey("dropout") ? config with { Dropout = Read<float>(json, "dropout", typeof(float)) } : config;
        config = json.ContainsKey("mlp_ranks") ? config with { MlpRanks = Read<int[]>(json, "mlp_ranks", typeof(int[]))! } : config;
        config = json.ContainsKey("mlp_inner_relu") ? config with { MlpInnerRelu = Read<bool>(json, "mlp_inner_relu", typeof(bool)) } : config;
        config = json.ContainsKey("init_std") ? config with { InitStd = Read<float>(json, "init_std", typeof(float)) } : config;
        config = json.ContainsKey("seed") ? config with { Seed = Read<int>(json, "seed", typeof(int)) } : config;
        if (own.Count > 0)
        {
            foreach (string key in own.Select(p => p.Key).ToList())
            {
                // Normalised first (a lone number for a list), so the record reads what Read accepted.
                own[key] = JsonSerializer.SerializeToNode(Read<object>(own, key, PropertyType(optionsType, key)), PropertyType(optionsType, key), Plain);
            }

            config = config with { Options = (ModelOptions)own.Deserialize(optionsType, Plain)! };
        }

        return config;
    }

    private static T? Read<T>(JsonObject json, string key, Type type)
    {
        // The serializer also takes an enum's C# spelling ("FieldAll"); configs are snake_case only.
        if (type.IsEnum && !(json[key] is JsonValue name && name.TryGetValue(out string? text)
                && Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).Contains(text)))
        {
            throw new JsonException($"{key} takes {Kind(type)}, got {json[key]?.ToJsonString() ?? "null"}");
        }

        // A one-layer list may be written as its one number (--set mlp2_hidden_units=800).
        if (type == typeof(int[]) && json[key] is JsonValue single && single.TryGetValue(out int units))
        {
            return (T?)(object)new[] { units };
        }

        try
        {
            return (T?)json[key].Deserialize(type, Plain);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"{key} takes {Kind(type)}, got {json[key]?.ToJsonString() ?? "null"}", e);
        }
    }

    /// <summary>A <c>--set</c> value as JSON: itself when it parses (numbers, true/false, lists), a list for "400,400", else a name.</summary>
    private static JsonNode? Value(string text)
    {
        if (text.Contains(',') && !text.TrimStart().StartsWith('['))
        {
            text = $"[{text}]";
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static string[] OptionKeys(Type optionsType) =>
        [.. Settings(optionsType).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))];

    private static Type PropertyType(Type optionsType, string key) =>
        Settings(optionsType).First(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == key).PropertyType;

    private static IEnumerable<PropertyInfo> Settings(Type optionsType) =>
        optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != "EqualityContract");

    private static string Kind(Type type) => type switch
    {
        _ when type == typeof(int) => "a whole number",
        _ when type == typeof(float) || type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(string) => "a name",
        _ when type == typeof(int[]) => "whole numbers (a list such as [400, 400] or 400,400)",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))}",
        _ => "a value of another kind",
    };
}
