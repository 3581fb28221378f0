namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// The GEMMs of one 400-wide Linear layer at batch 2048 (the DeepFwFM Criteo preset's DNN): fwd y = x·W,
/// dX = dY·Wᵀ, dW = xᵀ·dY, labelled M×N×K (short labels: BenchmarkDotNet truncates long parameter text).
/// </summary>
public sealed record GemmShape(string Label, int M, int N, int K, bool TransA, bool TransB)
{
    public static IReadOnlyList<GemmShape> Training { get; } =
    [
        new("fwd-2048x400x400", 2048, 400, 400, false, false),
        new("fwd-2048x400x390", 2048, 400, 390, false, false),
        new("dX-2048x390x400", 2048, 390, 400, false, true),
        new("dW-400x400x2048", 400, 400, 2048, true, false),
        new("dW-390x400x2048", 390, 400, 2048, true, false),
    ];

    public double Flops => 2.0 * M * N * K;

    public override string ToString() => Label;
}
