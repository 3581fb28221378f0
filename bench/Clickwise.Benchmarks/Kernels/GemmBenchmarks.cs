using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Clickwise.Kernels;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>The three training GEMMs of a 400-wide layer at batch 2048, on 1 and 2 threads, in GFLOP/s.</summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private IGemm _gemm = null!;

    public static IEnumerable<GemmShape> Shapes => GemmShape.Training;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Training[0];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _gemm = KernelRegistry.AllGemm[1];
        var random = new Random(1);
        _a = [.. Enumerable.Range(0, Shape.M * Shape.K).Select(_ => (float)random.NextDouble() - 0.5f)];
        _b = [.. Enumerable.Range(0, Shape.K * Shape.N).Select(_ => (float)random.NextDouble() - 0.5f)];
        _c = new float[Shape.M * Shape.N];
    }

    [Benchmark]
    public void Multiply() =>
        _gemm.Multiply(_a, _b, _c, Shape.M, Shape.N, Shape.K, Shape.TransA, Shape.TransB, false, Threads);

    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(new GflopsColumn());
    }

    /// <summary>2·M·N·K over the mean time.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => "GFLOPs";

        public string ColumnName => "GFLOP/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "2·M·N·K / mean time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats ||
                benchmarkCase.Parameters["Shape"] is not GemmShape shape)
            {
                return "-";
            }

            return (shape.Flops / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
