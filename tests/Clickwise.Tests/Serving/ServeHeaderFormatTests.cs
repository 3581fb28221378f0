using System.Globalization;
using System.Text.Json;
using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Serving;

/// <summary>A model of a format with a header line (Avazu CSV): raw lines under the header, and named columns, score as <c>predict</c> does.</summary>
[Collection(CliCollection.Name)]
public sealed class ServeHeaderFormatTests(ServeHeaderFormatTests.AvazuFiles files) : IClassFixture<ServeHeaderFormatTests.AvazuFiles>
{
    public sealed class AvazuFiles : IDisposable
    {
        public AvazuFiles()
        {
            string data = Directory.File("avazu.csv");
            CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "2000", "--seed", "3", "-o", data);
            System.IO.Directory.CreateDirectory(Directory.File("repo/ctr/1"));
            CliRunner.Expect(0, "train", "-d", data, "--format", "avazu", "--model", "fm", "-o", Directory.File("repo/ctr/1/model.cwm"),
                "--epochs", "1", "--embedding-dim", "4", "--batch-size", "256", "--quiet");
            string[] lines = [.. File.ReadLines(data).Take(11)];
            Header = lines[0];
            Lines = lines[1..];
            string sample = Directory.File("sample.csv");
            File.WriteAllLines(sample, lines);
            CliRunner.Expect(0, "predict", "-m", Directory.File("repo/ctr/1/model.cwm"), "-d", sample, "-o", Directory.File("p.txt"));
            Predictions = [.. File.ReadAllLines(Directory.File("p.txt")).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        }

        internal TempDirectory Directory { get; } = new();

        public string Header { get; }

        public string[] Lines { get; }

        public float[] Predictions { get; }

        public void Dispose() => Directory.Dispose();
    }

    [Fact]
    public async Task RawLinesUnderTheirHeaderAndNamedColumnsScoreAsPredictDoes()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.Directory.File("repo"));
        Assert.True((await server.GetAsync("/v2/models/ctr")).Body.GetProperty("parameters").GetProperty("raw_lines_have_header").GetBoolean());

        (int status, JsonElement response) = await server.PostAsync("/v2/models/ctr/infer", JsonSerializer.Serialize(new
        {
            parameters = new { labeled = true, header = files.Header },
            inputs = new[] { new { name = "raw", shape = new[] { files.Lines.Length }, datatype = "BYTES", data = files.Lines } },
        }));
        Assert.True(status == 200, response.ToString());
        Assert.Equal(files.Predictions, ServeEndpointTests.Floats(response.GetProperty("outputs")[0].GetProperty("data")));

        (status, response) = await server.PostAsync("/v2/models/ctr/infer", JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "raw", shape = new[] { 1 }, datatype = "BYTES", data = files.Lines[..1] } },
        }));
        Assert.Equal(400, status);
        Assert.Contains("give the column names line as parameters.header", response.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Each row as named columns (every column of the header, the label and the id included: they are ignored).
        string[] names = files.Header.Split(',');
        var instances = files.Lines.Select(line => names.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToArray();
        (status, response) = await server.PostAsync("/v1/models/ctr:predict", JsonSerializer.Serialize(new { instances }));
        Assert.True(status == 200, response.ToString());
        Assert.Equal(files.Predictions, ServeEndpointTests.Floats(response.GetProperty("predictions")));
    }
}
