using System.Text.Json;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

/// <summary>
/// One fixture written by tools/reference/golden_models.py: a tiny model's case, initial weights, logits,
/// loss, gradients and the parameters after each of three Adam steps (step k uses batch k).
/// </summary>
internal sealed class GoldenFixture
{
    private GoldenFixture(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public string Model => Root.GetProperty("model").GetString()!;

    public int BatchSize => Root.GetProperty("batch_size").GetInt32();

    public int StepCount => Root.GetProperty("steps").GetArrayLength();

    public static GoldenFixture Load(string model)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden", model + ".json");
        Assert.True(File.Exists(path), $"missing fixture {path}; regenerate with tools/reference/golden_models.py");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return new GoldenFixture(doc.RootElement.Clone());
    }

    public FeatureLayout Layout()
    {
        int[] sizes = Ints(Root.GetProperty("field_sizes"));
        return new FeatureLayout(sizes.Select((_, f) => $"f{f}").ToArray(), sizes);
    }

    public ModelConfig Config()
    {
        var config = new ModelConfig
        {
            Name = Model,
            EmbeddingDim = Root.GetProperty("embedding_dim").GetInt32(),
            HiddenUnits = Ints(Root.GetProperty("hidden_units")),
            Dropout = (float)Root.GetProperty("dropout").GetDouble(),
            Activation = Root.TryGetProperty("activation", out JsonElement activation)
                ? Enum.Parse<Activation>(activation.GetString()!, ignoreCase: true)
                : Activation.Relu,
            Seed = 1,
        };

        // The model's own settings (cross_rank, cin_layers, attention_dim …) as the fixture spells them, through the
        // same path as `--set`.
        return config.With(config.SettingKeys
            .Where(key => key is not ("name" or "embedding_dim" or "hidden_units" or "dropout" or "activation"))
            .Where(key => Root.TryGetProperty(key, out _))
            .Select(key => (key, Root.GetProperty(key).GetRawText())));
    }

    public Batch Batch(int index)
    {
        int fields = Root.GetProperty("field_sizes").GetArrayLength();
        JsonElement b = Root.GetProperty("batches")[index];
        var batch = new Batch(BatchSize, fields) { Count = BatchSize, HasValues = Root.GetProperty("has_values").GetBoolean() };
        Ints(b.GetProperty("ids")).CopyTo(batch.Ids, 0);
        Floats(b.GetProperty("values")).CopyTo(batch.Values, 0);
        Floats(b.GetProperty("labels")).CopyTo(batch.Labels, 0);
        return batch;
    }

    /// <summary>Tensors by name under "initial", "gradients" or steps[k].parameters.</summary>
    public static Dictionary<string, double[]> Tensors(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => Doubles(p.Value.GetProperty("data")));

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>
    /// Asserts max |expected − actual| ≤ <paramref name="tolerance"/> · max(1, max |expected|) (float32 against a float64
    /// reference) and prints the max difference.
    /// </summary>
    public static void AssertClose(string what, double[] expected, ReadOnlySpan<float> actual, double tolerance, ITestOutputHelper output)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, scale = 1;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        output.WriteLine($"{what}: max abs diff {maxDiff:E2} over {expected.Length} values");
        Assert.True(maxDiff <= tolerance * scale, $"{what}: max abs diff {maxDiff:E3} > {tolerance * scale:E1}");
    }
}
