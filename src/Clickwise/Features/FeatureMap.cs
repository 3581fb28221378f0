using System.Text;
using System.Text.Json;
using Clickwise.Data;
using Clickwise.IO;

namespace Clickwise.Features;

/// <summary>
/// The fitted vocabulary: per field its spec, size, global offset and kept tokens; saved as JSON (conventions §11)
/// and embedded by model files through <see cref="ToJson"/>/<see cref="FromJson"/>. Per field, local id
/// <see cref="OovId"/> is the rare/unseen category, <see cref="MissingId"/> the missing value, and categories
/// start at <see cref="FirstCategoryId"/>. It also says how multi-hot fields pool (<see cref="Pooling"/>), so a model
/// scores rows the way it was trained. Immutable once built.
/// </summary>
public sealed class FeatureMap
{
    public const int OovId = 0;
    public const int MissingId = 1;
    public const int FirstCategoryId = 2;
    public const int FormatVersion = 1;

    private const string FormatName = "clickwise-feature-map";
    private const string HashName = "murmur3_x64_128_h1";

    private readonly Lazy<FieldLookup[]> _lookups;

    public FeatureMap(IReadOnlyList<FeatureField> fields, uint hashSeed, Pooling pooling = Pooling.Sum)
    {
        if (fields.Count == 0)
        {
            throw new ArgumentException("a feature map needs at least one field");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (FeatureField field in fields)
        {
            if (!names.Add(field.Name))
            {
                throw new ArgumentException($"field '{field.Name}' appears twice");
            }
        }

        Fields = fields.ToArray();
        HashSeed = hashSeed;
        Pooling = pooling;
        Layout = new FeatureLayout(Fields.Select(f => f.Name).ToArray(), Fields.Select(f => f.Size).ToArray());
        for (int f = 0; f < Fields.Count; f++)
        {
            Fields[f].Offset = Layout.Offsets[f];
        }

        Checksum = MurmurHash3.Hash64(Encoding.UTF8.GetBytes(ToJson()));
        _lookups = new Lazy<FieldLookup[]>(() => Fields.Select(f => new FieldLookup(f, HashSeed)).ToArray());
    }

    public IReadOnlyList<FeatureField> Fields { get; }

    public int FieldCount => Fields.Count;

    /// <summary>Seed of the token hash (vocabulary lookup and hashed fields).</summary>
    public uint HashSeed { get; }

    /// <summary>How the features of a multi-hot field combine; written to the JSON only when not the default sum.</summary>
    public Pooling Pooling { get; }

    /// <summary>The same vocabulary pooling multi-hot fields by <paramref name="pooling"/>.</summary>
    public FeatureMap WithPooling(Pooling pooling) => pooling == Pooling ? this : new(Fields, HashSeed, pooling);

    /// <summary>Global id ranges per field: what a model needs.</summary>
    public FeatureLayout Layout { get; }

    /// <summary>A 64-bit hash of the canonical JSON; binary caches record it so a cache is never read with another map.</summary>
    public ulong Checksum { get; }

    /// <summary>An encoder for one thread (it owns scratch; the lookup tables are shared).</summary>
    public FeatureEncoder CreateEncoder() => new(this, _lookups.Value);

    /// <summary>
    /// Fails unless <paramref name="schema"/> names the map's fields in the same order with usable kinds: a map fitted on
    /// other columns (a saved model's, scoring or fine-tuned on other data) is a data error, not a bug.
    /// </summary>
    public void CheckSchema(DataSchema schema)
    {
        try
        {
            FeatureSpecs.CheckSchema(Fields.Select(f => f.Spec).ToArray(), schema);
        }
        catch (ArgumentException e)
        {
            string reason = $"the model was trained on other columns than this data has: {e.Message}";
            throw schema.Source is { } source ? new DataFormatException(source, schema.Line, reason) : new InvalidDataException(reason, e);
        }
    }

    public void Save(string path) => OutputFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToJson()));

    public static FeatureMap Load(string path)
    {
        try
        {
            return FromJson(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Canonical JSON: the same map always gives the same text (the checksum depends on it).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("hash", HashName);
            w.WriteNumber("hash_seed", HashSeed);
            w.WriteNumber("oov_id", OovId);
            w.WriteNumber("missing_id", MissingId);
            w.WriteNumber("total_rows", Layout.TotalRows);
            if (Pooling != Pooling.Sum)
            {
                w.WriteString("pooling", PoolingName(Pooling));
            }

            w.WriteStartArray("fields");
            foreach (FeatureField field in Fields)
            {
                WriteField(w, field);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static FeatureMap FromJson(string json)
    {
        try
        {
            return Parse(json);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Wrong JSON value kinds and invalid specs surface as one exception type for callers.
            throw new FormatException($"invalid feature map: {e.Message}", e);
        }
    }

    private static FeatureMap Parse(string json)
    {
        using JsonDocument doc = ParseDocument(json);
        JsonElement root = doc.RootElement;
        var reader = new StrictObject(root, "feature map");
        string format = reader.String("format");
        if (format != FormatName)
        {
            throw new FormatException($"not a feature map (format '{format}', expected '{FormatName}')");
        }

        int version = reader.Int("version");
        if (version != FormatVersion)
        {
            throw new FormatException($"feature map version {version} is not supported (this build reads version {FormatVersion})");
        }

        string hash = reader.String("hash");
        if (hash != HashName)
        {
            throw new FormatException($"feature map hash '{hash}' is not supported (expected '{HashName}')");
        }

        uint seed = reader.Element("hash_seed").GetUInt32();
        if (reader.Int("oov_id") != OovId || reader.Int("missing_id") != MissingId)
        {
            throw new FormatException($"feature map ids differ from this build's (oov {OovId}, missing {MissingId})");
        }

        int totalRows = reader.Int("total_rows");
        Pooling pooling = reader.Has("pooling") ? ParsePooling(reader.String("pooling")) : Pooling.Sum;
        var fields = new List<FeatureField>();
        var offsets = new List<int>();
        foreach (JsonElement element in reader.Element("fields").EnumerateArray())
        {
            fields.Add(ReadField(element, out int offset));
            offsets.Add(offset);
        }

        reader.RejectUnknown();
        var map = new FeatureMap(fields, seed, pooling);
        if (map.Layout.TotalRows != totalRows || !offsets.SequenceEqual(map.Layout.Offsets))
        {
            throw new FormatException($"feature map offsets or total rows ({totalRows}) disagree with its field sizes");
        }

        return map;
    }

    private static string PoolingName(Pooling pooling) => pooling.ToString().ToLowerInvariant();

    private static Pooling ParsePooling(string name) => name switch
    {
        "sum" => Pooling.Sum,
        "mean" => Pooling.Mean,
        _ => throw new FormatException($"unknown pooling '{name}' (sum or mean)"),
    };

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"feature map is not valid JSON: {e.Message}", e);
        }
    }

    private static void WriteField(Utf8JsonWriter w, FeatureField field)
    {
        FeatureSpec spec = field.Spec;
        w.WriteStartObject();
        w.WriteString("name", spec.Name);
        w.WriteString("kind", FeatureSpecs.KindName(spec.Kind));
        w.WriteNumber("size", field.Size);
        w.WriteNumber("offset", field.Offset);
        w.WriteNumber("min_count", spec.MinCount);
        w.WriteNumber("hash_buckets", spec.HashBuckets);
        w.WriteString("numeric_transform", FeatureSpecs.TransformName(spec.Transform));

        // Tokens are raw bytes; JSON strings hold them exactly only when they are valid UTF-8, so a field with any
        // other token is stored as base64 as a whole (one encoding per field keeps decoding unambiguous).
        bool utf8 = field.Tokens.All(IsValidUtf8);
        w.WriteString("token_encoding", utf8 ? "utf8" : "base64");
        w.WriteStartArray("tokens");
        foreach (byte[] token in field.Tokens)
        {
            if (utf8)
            {
                w.WriteStringValue(token);
            }
            else
            {
                w.WriteBase64StringValue(token);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static FeatureField ReadField(JsonElement element, out int offset)
    {
        var reader = new StrictObject(element, "field");
        string name = reader.String("name");
        var spec = new FeatureSpec(
            name,
            FeatureSpecs.ParseKind(reader.String("kind")),
            reader.Int("min_count"),
            reader.Int("hash_buckets"),
            FeatureSpecs.ParseTransform(reader.String("numeric_transform")));
        int size = reader.Int("size");
        offset = reader.Int("offset");
        string encoding = reader.String("token_encoding");
        if (encoding is not ("utf8" or "base64"))
        {
            throw new FormatException($"field '{name}': unknown token encoding '{encoding}'");
        }

        var tokens = new List<byte[]>();
        foreach (JsonElement token in reader.Element("tokens").EnumerateArray())
        {
            tokens.Add(encoding == "utf8" ? Encoding.UTF8.GetBytes(token.GetString()!) : token.GetBytesFromBase64());
        }

        reader.RejectUnknown();
        var field = new FeatureField(spec, tokens);
        if (field.Size != size)
        {
            throw new FormatException($"field '{name}': size {size} does not match its {tokens.Count} tokens / {spec.HashBuckets} buckets");
        }

        return field;
    }

    private static bool IsValidUtf8(byte[] token) => System.Text.Unicode.Utf8.IsValid(token);

    /// <summary>Reads named properties of one JSON object and fails on any it was not asked for.</summary>
    private sealed class StrictObject(JsonElement element, string what)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public JsonElement Element(string name)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value))
            {
                throw new FormatException($"{what}: missing '{name}'");
            }

            _read.Add(name);
            return value;
        }

        public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

        public string String(string name) => Element(name).GetString() ?? throw new FormatException($"{what}: '{name}' is null");

        public int Int(string name) => Element(name).GetInt32();

        public void RejectUnknown()
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (!_read.Contains(property.Name))
                {
                    throw new FormatException($"{what}: unknown key '{property.Name}'");
                }
            }
        }
    }
}
