using System.Text;
using Clickwise.Data.Synthetic;

namespace Clickwise.Tests.Synthetic;

/// <summary>Generated files shared by the tests (made once per test run).</summary>
internal static class GeneratedSamples
{
    public const int Rows = 50_000;

    private static readonly Lazy<(SyntheticReport Report, byte[] Bytes)> CriteoSample = new(() => Make("criteo", Rows, 1));
    private static readonly Lazy<(SyntheticReport Report, byte[] Bytes)> AvazuSample = new(() => Make("avazu", Rows, 1));

    public static (SyntheticReport Report, byte[] Bytes) Criteo => CriteoSample.Value;

    public static (SyntheticReport Report, byte[] Bytes) Avazu => AvazuSample.Value;

    public static (SyntheticReport Report, byte[] Bytes) Make(string profile, long rows, ulong seed, int threads = 2)
    {
        using var stream = new MemoryStream();
        SyntheticReport report = SyntheticGenerator.Generate(
            new SyntheticOptions { Profile = profile, Rows = rows, Seed = seed, Threads = threads }, stream);
        return (report, stream.ToArray());
    }

    public static string[] Lines(byte[] bytes)
    {
        string text = Encoding.UTF8.GetString(bytes);
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }
}
