using System.IO.Compression;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Issue 17, class 1: a <c>"</c> at the start of C8 on line 1000 of a 20k-row synthetic Criteo file made
/// <c>train --skip-bad</c> report <c>lines=1000</c>. Criteo TSV has no quoting, so the quote is part of a token;
/// in a format with quoting it costs the line it opened on.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class StrayQuoteTests : IClassFixture<StrayQuoteTests.Files>
{
    private const int Rows = 20000, QuotedLine = 1000;

    private readonly Files _files;

    public StrayQuoteTests(Files files) => _files = files;

    /// <summary>The synthetic Criteo and Avazu files with the stray quote (Criteo also gzipped), and a model of the clean Criteo file.</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            string clean = Directory.File("clean.tsv");
            CliRunner.Expect(0, "synth", "--rows", $"{Rows}", "--seed", "3", "-o", clean);
            CliRunner.Expect(0, "train", "-d", clean, "--model", "lr", "--epochs", "1", "-o", ModelPath, "--quiet");
            WriteWithQuote(clean, Criteo, '\t', QuotedLine, column: 1 + 13 + 7);
            using (var gzip = new GZipStream(File.Create(CriteoGz), CompressionLevel.Fastest))
            {
                using FileStream plain = File.OpenRead(Criteo);
                plain.CopyTo(gzip);
            }

            string avazu = Directory.File("clean.csv");
            CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", $"{Rows}", "--seed", "3", "-o", avazu);
            WriteWithQuote(avazu, Avazu, ',', QuotedLine + 1, column: 5);
        }

        internal TempDirectory Directory { get; } = new();

        public string Criteo => Directory.File("quote.tsv");

        public string CriteoGz => Directory.File("quote.tsv.gz");

        public string Avazu => Directory.File("quote.csv");

        public string ModelPath => Directory.File("lr.cwm");

        private static void WriteWithQuote(string from, string to, char delimiter, int line, int column)
        {
            string[] lines = File.ReadAllLines(from);
            string[] cells = lines[line - 1].Split(delimiter);
            cells[column] = "\"" + cells[column];
            lines[line - 1] = string.Join(delimiter, cells);
            File.WriteAllLines(to, lines);
        }

        public void Dispose() => Directory.Dispose();
    }

    [Theory]
    [InlineData("train", false)]
    [InlineData("train", true)]
    [InlineData("eval", false)]
    [InlineData("eval", true)]
    [InlineData("predict", false)]
    [InlineData("predict", true)]
    public void AQuoteAtTheStartOfC8OnLine1000IsAToken(string verb, bool gzipped)
    {
        string data = gzipped ? _files.CriteoGz : _files.Criteo;
        string[] args = verb switch
        {
            "train" => ["train", "-d", data, "--model", "lr", "--epochs", "1", "-o", _files.Directory.File("t.cwm")],
            "eval" => ["eval", "-m", _files.ModelPath, "-d", data],
            _ => ["predict", "-m", _files.ModelPath, "-d", data, "-o", _files.Directory.File("p.txt")],
        };

        CliResult strict = CliRunner.Expect(0, args);
        CliResult lenient = CliRunner.Expect(0, [.. args, "--skip-bad"]);
        Assert.Contains($"lines={Rows}, parsed={Rows}, skipped=0", lenient.Out + lenient.Error);
        if (verb == "predict")
        {
            Assert.Equal(Rows, File.ReadAllLines(_files.Directory.File("p.txt")).Length);
            Assert.Contains($"predicted {Rows:N0} rows", strict.Out + strict.Error);
        }
    }

    [Fact]
    public void AnUnterminatedQuoteInAvazuIsReportedWhereItOpenedAndCostsOneLine()
    {
        string[] args = ["train", "-d", _files.Avazu, "--format", "avazu", "--model", "lr", "--epochs", "1", "-o", _files.Directory.File("a.cwm")];

        CliResult strict = CliRunner.Expect(65, args);
        Assert.StartsWith($"clickwise: {_files.Avazu}:{QuotedLine + 1}: unterminated quoted field (still open after 1048576 bytes): '", strict.Error, StringComparison.Ordinal);

        CliResult lenient = CliRunner.Expect(0, [.. args, "--skip-bad"]);
        Assert.Contains($"lines={Rows}, parsed={Rows - 1}, skipped=1 (unterminated quoted field (still open after 1048576 bytes)=1)", lenient.Out);
    }
}
