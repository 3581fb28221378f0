using System.Diagnostics;
using System.Text;
using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

/// <summary>
/// Hand-written mutation fuzzing (SharpFuzz is not available): seeded bit flips, truncations, splices and
/// repeated or deleted delimiters on valid inputs of every format. Whatever the bytes, a reader either yields rows
/// or throws its own <see cref="DataFormatException"/>, and it always finishes.
/// </summary>
public sealed class MutationFuzzTests
{
    private static readonly (ReaderOptions Options, string Text)[] Corpus =
    [
        (new ReaderOptions { Format = DataFormat.Criteo }, ReaderTestKit.ValidCriteoLine(0, 1) + "\n" + ReaderTestKit.ValidCriteoLine(1, 2) + "\n"),
        (new ReaderOptions { Format = DataFormat.CriteoCsv }, "Id,Label," + string.Join(',', Enumerable.Range(1, 13).Select(i => $"I{i}")) + "," + string.Join(',', Enumerable.Range(1, 26).Select(i => $"C{i}")) + "\r\n"
            + "1,0," + ReaderTestKit.ValidCriteoLine(0, 3)[2..].Replace('\t', ',') + "\r\n"),
        (new ReaderOptions { Format = DataFormat.Avazu }, "id,click,hour,C1,banner_pos,site_id,site_domain,site_category,app_id,app_domain,app_category,device_id,device_ip,device_model,device_type,device_conn_type,C14,C15,C16,C17,C18,C19,C20,C21\n"
            + "1000009418151094273,0,14102100,1005,0,1fbe01fe,f3845767,28905ebd,ecad2386,7801e8d9,07d7df22,a99f214a,ddd2926e,44956a24,1,2,15706,320,50,1722,0,35,-1,79\n"),
        (new ReaderOptions { Format = DataFormat.Libsvm }, "1 3:1 7:0.5 9:1\n-1 0:1 2:2 4:1\n"),
        (new ReaderOptions { Format = DataFormat.Libffm }, "1 0:3:1 1:7:0.5 2:9:1\n0 2:4:1 0:1:1\n"),
        (new ReaderOptions { Format = DataFormat.Csv, CategoricalColumns = ["a", "b"] }, "label,a,b\n1,\"x,\"\"y\"\"\",z\n0,\"p\nq\",r\n"),
    ];

    [Fact]
    public void MutatedInputsOnlyEverRaiseDataFormatException()
    {
        var random = new Random(2024);
        var clock = Stopwatch.StartNew();
        int cases = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(2) || cases < 500)
        {
            var (options, text) = Corpus[random.Next(Corpus.Length)];
            byte[] mutated = Mutate(Encoding.UTF8.GetBytes(text), random);
            bool gzip = random.Next(8) == 0;
            byte[] compressed = ReaderTestKit.Gzip(mutated);
            byte[] input = gzip ? compressed[..^Math.Min(compressed.Length, random.Next(0, 3))] : mutated;
            ReaderOptions lenient = options with { Strict = random.Next(2) == 0, MaxBadRatio = 1, BufferSize = random.Next(4, 64), MaxLineBytes = 400 };
            try
            {
                using IRecordReader reader = ReaderTestKit.Open(input, lenient, random.Next(1, 50));
                var record = new RawRecord(reader.Schema.FieldCount);
                int rows = 0;
                while (reader.Read(record))
                {
                    Assert.True(++rows < 1000, "reader did not terminate");
                    Assert.True(record.Label is 0 or 1);
                }
            }
            catch (DataFormatException)
            {
            }

            cases++;
        }
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.Insert(at, "\t,:\" \n\r"u8[random.Next(7)]);
                    break;
                case 4:
                    int from = random.Next(bytes.Count);
                    int length = random.Next(0, Math.Min(40, bytes.Count - from));
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }
}
