using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Benchmarks.Data;

/// <summary>
/// Raw Criteo TSV parse rate (the target: at least 100 MB/s per core), from memory so disk speed does not
/// count, plain and gzip. Run: <c>dotnet run -c Release --project bench/Clickwise.Benchmarks -- --filter *CriteoParse*</c>.
/// </summary>
[Config(typeof(ParseConfig))]
[MemoryDiagnoser]
public class CriteoParseBenchmarks
{
    public const int Rows = 100_000;

    private static readonly byte[] Text = SyntheticCriteoText.Generate(Rows, seed: 1);

    private readonly ReaderOptions _options = new() { Format = DataFormat.Criteo };
    private readonly RawRecord _record = new(39);
    private byte[] _gzip = [];

    [GlobalSetup]
    public void Setup()
    {
        var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Text);
        }

        _gzip = output.ToArray();
    }

    [Benchmark(Baseline = true)]
    public long CriteoTsv() => ReadAll(Text);

    [Benchmark]
    public long CriteoTsvGzip() => ReadAll(_gzip);

    private long ReadAll(byte[] input)
    {
        long rows = 0;
        using IRecordReader reader = RecordReaders.Open(new MemoryStream(input), "bench", _options);
        while (reader.Read(_record))
        {
            rows++;
        }

        return rows;
    }

    private sealed class ParseConfig : ManualConfig
    {
        public ParseConfig() => AddColumn(new MegabytesPerSecondColumn(Text.Length));
    }
}
