using System.Text.Json;

namespace Clickwise.Tests.Layers;

/// <summary>Arrays of a PyTorch golden fixture (tools/reference/) and their comparison, shared by the layer golden tests.</summary>
internal static class GoldenArrays
{
    public static JsonDocument Load(string folder, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, file)));

    public static int[] Ints(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    public static float[] Floats(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble())];

    /// <summary>Asserts the largest difference, relative to max(1, |expected|), is within 1e-5, printing it; a fixture of zeros proves nothing.</summary>
    public static void AssertClose(ITestOutputHelper output, string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Abs(expected[i])));
        }

        output.WriteLine($"{what}: max difference {worst:E2} over {expected.Length} values");
        Assert.True(worst <= 1e-5, $"{what}: max difference {worst:E2}");
        Assert.Contains(expected, v => v != 0f);
    }
}
