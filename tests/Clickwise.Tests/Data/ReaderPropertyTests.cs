using System.Globalization;
using System.Text;
using Clickwise.Data.Readers;
using FsCheck;
using FsCheck.Fluent;

namespace Clickwise.Tests.Data;

/// <summary>FsCheck: parse(format(row)) == row, and rows do not depend on where buffer and read boundaries fall.</summary>
public sealed class ReaderPropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(150);

    private static readonly ReaderOptions Criteo = new() { Format = DataFormat.Criteo };

    private static readonly char[] TokenChars = "0123456789abcdefABCDEF_-.xyz:/".ToCharArray();

    private static Gen<string> Token(int maxLength) =>
        from length in Gen.Choose(1, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements(TokenChars), length)
        select new string(chars);

    /// <summary>A numeric cell: missing, an integer (negative allowed), a two-decimal number, or a large one written with an exponent.</summary>
    private static readonly Gen<double?> Number = Gen.Frequency(
        (2, Gen.Constant<double?>(null)),
        (5, Gen.Choose(-1000, 1_000_000).Select(i => (double?)i)),
        (2, Gen.Choose(-100_000, 100_000).Select(i => (double?)(i / 100.0))),
        (1, Gen.Choose(1, 999).Select(i => (double?)(i * 1e20))));

    private static readonly Gen<string?> Category = Gen.Frequency((1, Gen.Constant<string?>(null)), (6, Token(12).Select(t => (string?)t)));

    private sealed record CriteoRow(int Label, double?[] Numbers, string?[] Categories)
    {
        public string Format() =>
            Label + "\t" + string.Join('\t', Numbers.Select(n => n?.ToString("R", CultureInfo.InvariantCulture) ?? ""))
            + "\t" + string.Join('\t', Categories.Select(c => c ?? ""));

        public string Expected() =>
            Label + "|" + string.Join('|', Numbers.Select(n => n?.ToString("R", CultureInfo.InvariantCulture) ?? "?"))
            + "|" + string.Join('|', Categories.Select(c => c ?? "?"));
    }

    private static readonly Gen<CriteoRow> CriteoRows =
        from label in Gen.Choose(0, 1)
        from numbers in Gen.ArrayOf(Number, 13)
        from categories in Gen.ArrayOf(Category, 26)
        select new CriteoRow(label, numbers, categories);

    [Fact]
    public void CriteoTsvRoundTrips()
    {
        var gen = from rows in Gen.NonEmptyListOf(CriteoRows)
                  from crlf in Gen.Elements(false, true)
                  from finalNewline in Gen.Elements(false, true)
                  from chunk in Gen.Choose(1, 97)
                  select (rows, crlf, finalNewline, chunk);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            string eol = c.crlf ? "\r\n" : "\n";
            string text = string.Join(eol, c.rows.Select(r => r.Format())) + (c.finalNewline ? eol : "");
            List<string> parsed = ReaderTestKit.ReadAll(text, Criteo with { BufferSize = 7 }, c.chunk);
            return parsed.SequenceEqual(c.rows.Select(r => r.Expected()));
        }));
    }

    private sealed record SparseRow(int Label, bool MinusOne, (int Index, float Value)[] Features)
    {
        public string Format() =>
            (Label == 1 ? "1" : MinusOne ? "-1" : "0") + string.Concat(Features.Select(f => $" {f.Index}:{f.Value.ToString("R", CultureInfo.InvariantCulture)}"));

        public string Expected() =>
            Label + string.Concat(Features.Select(f => "|" + f.Index + (f.Value == 1f ? "" : "@" + f.Value.ToString("R", CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void LibsvmRoundTrips()
    {
        Gen<float> value = Gen.Frequency(
            (3, Gen.Constant(1f)),
            (3, Gen.Choose(-100_000, 100_000).Select(i => i / 1000f)),
            (1, Gen.Choose(-1000, 1000).Select(i => i * 1e3f)));
        Gen<(int, float)> feature = Gen.Zip(Gen.Choose(0, 5_000_000), value);
        var gen = from fields in Gen.Choose(1, 8)
                  from rows in Gen.NonEmptyListOf(
                      from label in Gen.Choose(0, 1)
                      from minusOne in Gen.Elements(false, true)
                      from features in Gen.ArrayOf(feature, fields)
                      select new SparseRow(label, minusOne, features))
                  from chunk in Gen.Choose(1, 50)
                  select (rows, chunk);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            string text = string.Join('\n', c.rows.Select(r => r.Format())) + "\n";
            List<string> parsed = ReaderTestKit.ReadAll(text, new ReaderOptions { Format = DataFormat.Libsvm, BufferSize = 5 }, c.chunk);
            return parsed.SequenceEqual(c.rows.Select(r => r.Expected()));
        }));
    }

    /// <summary>Good, bad, over-long and quoted lines read with a 7-byte buffer and random read sizes equal a 64 KiB read.</summary>
    [Fact]
    public void RowsAndCountsDoNotDependOnBufferBoundaries()
    {
        Gen<string> line = Gen.OneOf(
            CriteoRows.Select(r => r.Format()),
            CriteoRows.Select(r => "7" + r.Format()[1..]),
            Token(30),
            Gen.Constant(""),
            Gen.Constant(new string('9', 300)));
        var gen = from first in CriteoRows
                  from more in Gen.ListOf(line)
                  let lines = more.Prepend(first.Format()).ToList()
                  from crlf in Gen.Elements(false, true)
                  from chunk in Gen.Choose(1, 200)
                  select (lines, crlf, chunk);
        var lenient = Criteo with { Strict = false, MaxBadRatio = 1, MaxLineBytes = 299 };
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            byte[] text = Encoding.UTF8.GetBytes(string.Join(c.crlf ? "\r\n" : "\n", c.lines));
            using var large = ReaderTestKit.Open(text, lenient);
            using var tiny = ReaderTestKit.Open(text, lenient with { BufferSize = 7 }, c.chunk);
            return ReaderTestKit.ReadAll(large).SequenceEqual(ReaderTestKit.ReadAll(tiny))
                && large.Stats.ToString() == tiny.Stats.ToString()
                && large.Stats.FirstMessages.SequenceEqual(tiny.Stats.FirstMessages)
                && large.Stats.LinesRead == c.lines.Count - (c.lines[^1].Length == 0 ? 1 : 0);
        }));
    }

    /// <summary>Quoted fields with delimiters, escaped quotes and CRLF inside, and over-long multi-line records that cost only their own lines.</summary>
    [Fact]
    public void QuotedCsvDoesNotDependOnBufferBoundaries()
    {
        string overlong = "\"" + string.Join("\n", Enumerable.Repeat("abcdefghij", 12)) + "\"";
        Gen<string> cell = Gen.Frequency(
            (3, Token(6)),
            (1, Gen.Constant("")),
            (3, Token(6).Select(t => $"\"{t},\"\"{t}\"\"\r\n{t}\"")),
            (1, Gen.Constant(overlong)));
        Gen<string> row = from label in Gen.Choose(0, 1)
                          from cells in Gen.ArrayOf(cell, 2)
                          select $"{label},{cells[0]},{cells[1]}";
        var gen = from rows in Gen.NonEmptyListOf(row)
                  from chunk in Gen.Choose(1, 40)
                  select (rows, chunk);
        var options = new ReaderOptions { Format = DataFormat.Csv, CategoricalColumns = ["a", "b"], Strict = false, MaxBadRatio = 1, MaxLineBytes = 100 };
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            string text = "label,a,b\n" + string.Join('\n', c.rows) + "\n";
            using var large = ReaderTestKit.Open(text, options);
            using var tiny = ReaderTestKit.Open(text, options with { BufferSize = 7 }, c.chunk);
            List<string> largeRows = ReaderTestKit.ReadAll(large);
            // An over-long record costs its lines (each a bad line), never a good row after it.
            return largeRows.Count == c.rows.Count(r => !r.Contains(overlong, StringComparison.Ordinal))
                && large.Stats.Skipped == large.Stats.LinesRead - largeRows.Count
                && largeRows.SequenceEqual(ReaderTestKit.ReadAll(tiny))
                && large.Stats.FirstMessages.SequenceEqual(tiny.Stats.FirstMessages);
        }));
    }
}
