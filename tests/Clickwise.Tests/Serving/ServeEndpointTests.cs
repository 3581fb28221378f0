using System.Globalization;
using System.Text.Json;
using Clickwise.Tests.Cli;

namespace Clickwise.Tests.Serving;

/// <summary>
/// Every route of <c>clickwise serve</c> in-process: health, metadata, OIP v2 inference from raw lines, named columns and
/// ids (raw lines answer exactly what <c>predict</c> writes), TF Serving's predict, and the error codes of bad requests.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeEndpointTests(ServingFiles files) : IClassFixture<ServingFiles>
{
    private const int CriteoFields = 39;

    [Fact]
    public async Task HealthAndMetadataDescribeTheServingVersion()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        Assert.Equal(200, (await server.GetAsync("/v2/health/live")).Status);
        Assert.Equal(200, (await server.GetAsync("/v2/health/ready")).Status);
        Assert.Equal(200, (await server.GetAsync("/v2/models/fm/ready")).Status);

        (int status, JsonElement metadata) = await server.GetAsync("/v2/models/fm");
        Assert.Equal(200, status);
        Assert.Equal("fm", metadata.GetProperty("name").GetString());
        Assert.Equal(["1"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["ids", "values", "raw", "I1"], metadata.GetProperty("inputs").EnumerateArray().Take(4).Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(CriteoFields, metadata.GetProperty("inputs")[0].GetProperty("shape")[1].GetInt32());
        JsonElement details = metadata.GetProperty("parameters");
        Assert.Equal("fm", details.GetProperty("architecture").GetString());
        Assert.Equal("criteo", details.GetProperty("format").GetString());
        Assert.False(details.GetProperty("raw_lines_have_header").GetBoolean());
        JsonElement[] fields = [.. details.GetProperty("fields").EnumerateArray()];
        Assert.Equal(CriteoFields, fields.Length);
        Assert.Equal(("I1", "numeric", 0), (fields[0].GetProperty("name").GetString(), fields[0].GetProperty("kind").GetString(), fields[0].GetProperty("offset").GetInt32()));
        Assert.Equal(fields[0].GetProperty("size").GetInt32(), fields[1].GetProperty("offset").GetInt32());
        Assert.Equal("categorical", fields[13].GetProperty("kind").GetString());

        Assert.Equal(200, (await server.GetAsync("/v2/models/fm/versions/1")).Status);
        JsonElement tfStatus = (await server.GetAsync("/v1/models/fm")).Body.GetProperty("model_version_status")[0];
        Assert.Equal(("1", "AVAILABLE", "OK"), (tfStatus.GetProperty("version").GetString(), tfStatus.GetProperty("state").GetString(),
            tfStatus.GetProperty("status").GetProperty("error_code").GetString()));
        Assert.Equal(404, (await server.GetAsync("/v1/models/fm/versions/3")).Status);
        Assert.Equal("clickwise", (await server.GetAsync("/v2")).Body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task RawLinesScoreExactlyAsPredictDoes()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        string body = JsonSerializer.Serialize(new
        {
            id = "req-7",
            parameters = new { labeled = true },
            inputs = new[] { new { name = "raw", shape = new[] { files.Lines.Length }, datatype = "BYTES", data = files.Lines } },
            outputs = new[] { new { name = "probability" }, new { name = "logit" } },
        });
        (int status, JsonElement response) = await server.PostAsync("/v2/models/fm/infer", body);
        Assert.True(status == 200, response.ToString());
        Assert.Equal("fm", response.GetProperty("model_name").GetString());
        Assert.Equal("1", response.GetProperty("model_version").GetString());
        Assert.Equal("req-7", response.GetProperty("id").GetString());
        JsonElement probability = response.GetProperty("outputs")[0];
        Assert.Equal([files.Lines.Length, 1], probability.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(files.Predictions, Floats(probability.GetProperty("data")));
        float[] logits = Floats(response.GetProperty("outputs")[1].GetProperty("data"));
        Assert.Equal(files.Predictions, logits.Select(Clickwise.Layers.BinaryLogLoss.Sigmoid));

        // The same lines without their label column, the default, score the same.
        string unlabeled = JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "raw", shape = new[] { files.Lines.Length }, datatype = "BYTES", data = files.Lines.Select(Unlabel).ToArray() } },
        });
        Assert.Equal(files.Predictions, Floats((await server.PostAsync("/v2/models/fm/infer", unlabeled)).Body.GetProperty("outputs")[0].GetProperty("data")));
    }

    [Fact]
    public async Task NamedColumnsScoreAsTheLinesTheyComeFrom()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        string[][] cells = [.. files.Lines.Select(line => line.Split('\t'))];
        var inputs = new List<object>();
        for (int c = 1; c <= 13; c++)
        {
            // numbers as JSON numbers, a missing one as null
            inputs.Add(new { name = $"I{c}", shape = new[] { cells.Length }, datatype = "FP64", data = cells.Select(row => row[c].Length == 0 ? (double?)null : double.Parse(row[c], CultureInfo.InvariantCulture)).ToArray() });
        }

        for (int c = 1; c <= 26; c++)
        {
            inputs.Add(new { name = $"C{c}", shape = new[] { cells.Length }, datatype = "BYTES", data = cells.Select(row => row[13 + c]).ToArray() });
        }

        (int status, JsonElement response) = await server.PostAsync("/v2/models/fm/infer", JsonSerializer.Serialize(new { inputs }));
        Assert.True(status == 200, response.ToString());
        Assert.Equal(files.Predictions, Floats(response.GetProperty("outputs")[0].GetProperty("data")));
    }

    [Fact]
    public async Task IdsScoreAsTheLinesTheyEncode()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        int[] offsets = [.. (await server.GetAsync("/v2/models/fm")).Body.GetProperty("parameters").GetProperty("fields").EnumerateArray()
            .Select(f => f.GetProperty("offset").GetInt32())];
        // A line with every cell empty encodes to each field's "missing" id, offset + 1.
        long[] missing = [.. offsets.Select(o => (long)o + 1)];
        string empty = new('\t', CriteoFields - 1);
        float fromLine = Floats((await server.PostAsync("/v2/models/fm/infer", JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "raw", shape = new[] { 1 }, datatype = "BYTES", data = new[] { empty } } },
        }))).Body.GetProperty("outputs")[0].GetProperty("data"))[0];

        (int status, JsonElement response) = await server.PostAsync("/v2/models/fm/infer", JsonSerializer.Serialize(new
        {
            inputs = new object[]
            {
                new { name = "ids", shape = new[] { 2, CriteoFields }, datatype = "INT64", data = new[] { missing, missing } },
                new { name = "values", shape = new[] { 2, CriteoFields }, datatype = "FP32", data = Enumerable.Repeat(1f, 2 * CriteoFields).ToArray() },
            },
        }));
        Assert.True(status == 200, response.ToString());
        Assert.Equal([fromLine, fromLine], Floats(response.GetProperty("outputs")[0].GetProperty("data")));
    }

    [Fact]
    public async Task TfServingPredictTakesLinesColumnsOrIds()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        string[] lines = [.. files.Lines.Take(3).Select(Unlabel)];
        (int status, JsonElement response) = await server.PostAsync("/v1/models/fm:predict", JsonSerializer.Serialize(new { instances = lines }));
        Assert.True(status == 200, response.ToString());
        Assert.Equal(files.Predictions.Take(3), Floats(response.GetProperty("predictions")));
        Assert.Equal("1", response.GetProperty("model_version").GetString());

        string[] cells = files.Lines[0].Split('\t');
        var row = new Dictionary<string, object?>();
        for (int c = 1; c <= 13; c++)
        {
            row[$"I{c}"] = cells[c].Length == 0 ? null : long.Parse(cells[c], CultureInfo.InvariantCulture);
        }

        for (int c = 1; c <= 26; c++)
        {
            row[$"C{c}"] = cells[13 + c];
        }

        (status, response) = await server.PostAsync("/v1/models/fm/versions/1:predict", JsonSerializer.Serialize(new { instances = new[] { row } }));
        Assert.True(status == 200, response.ToString());
        Assert.Equal(files.Predictions[0], Floats(response.GetProperty("predictions"))[0]);

        int[] offsets = [.. (await server.GetAsync("/v2/models/fm")).Body.GetProperty("parameters").GetProperty("fields").EnumerateArray()
            .Select(f => f.GetProperty("offset").GetInt32())];
        (status, response) = await server.PostAsync("/v1/models/fm:predict", JsonSerializer.Serialize(new { instances = new[] { offsets } }));
        Assert.True(status == 200, response.ToString());
        Assert.Single(Floats(response.GetProperty("predictions")));
    }

    [Theory]
    [InlineData("{\"inputs\": [", 400, "malformed JSON")]
    [InlineData("null", 400, "JSON null")]
    [InlineData("{\"inputs\": []}", 400, "no inputs")]
    [InlineData("{\"inputs\": [{\"name\": \"raw\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"a\"]}]}", 400, "input 'raw' has 1 elements, its shape [2] says 2")]
    [InlineData("{\"inputs\": [{\"name\": \"raw\", \"shape\": [-1], \"datatype\": \"BYTES\", \"data\": []}]}", 400, "negative dimension")]
    [InlineData("{\"inputs\": [{\"name\": \"raw\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1.5]}]}", 400, "input 'raw' has datatype 'FP32'; it takes BYTES")]
    [InlineData("{\"inputs\": [{\"name\": \"raw\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"1\\t2\"]}]}", 400, "raw:1: ")]
    [InlineData("{\"inputs\": [{\"name\": \"ids\", \"shape\": [1, 3], \"datatype\": \"INT64\", \"data\": [1, 2, 3]}]}", 400, "input 'ids' has shape [1, 3]; the model takes [N, 39]")]
    [InlineData("{\"inputs\": [{\"name\": \"ids\", \"shape\": [1, 39], \"datatype\": \"FP32\", \"data\": []}]}", 400, "input 'ids' has datatype 'FP32'")]
    [InlineData("{\"inputs\": [{\"name\": \"C1\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [true]}]}", 400, "input 'C1' row 0: expected a string, a number or null")]
    [InlineData("{\"inputs\": [{\"name\": \"X9\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"a\"]}]}", 400, "unknown input 'X9'")]
    [InlineData("{\"inputs\": [{\"name\": \"C1\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"a\"]}], \"outputs\": [{\"name\": \"odds\"}]}", 400, "unknown output 'odds'")]
    [InlineData("{\"inputs\": [{\"name\": \"raw\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"\"]}], \"parameters\": {\"header\": \"a,b\"}}", 400, "without a header")]
    public async Task BadInferRequestsGet400NamingTheProblem(string body, int status, string message)
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        (int got, JsonElement response) = await server.PostAsync("/v2/models/fm/infer", body);
        Assert.Equal(status, got);
        Assert.Contains(message, response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"instances\": []}", "'instances' must be a non-empty array")]
    [InlineData("{\"instances\": [\"a\", {\"C1\": \"b\"}]}", "instances[1] is a Object, instances[0] a String")]
    [InlineData("{\"instances\": [[1, 2]]}", "instances[0] has 2 ids; the model takes 39")]
    [InlineData("{\"instances\": [7]}", "instances[0] is a Number")]
    [InlineData("{\"instances\": [{\"C1\": [1]}]}", "input 'C1' row 0: expected a string, a number or null")]
    [InlineData("{\"signature_name\": \"serving_default\"}", "'instances' must be a non-empty array")]
    public async Task BadTfServingInstancesGet400(string body, string message)
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        (int status, JsonElement response) = await server.PostAsync("/v1/models/fm:predict", body);
        Assert.Equal(400, status);
        Assert.Contains(message, response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdsAndValuesAreCheckedPerElement()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        long[] ids = new long[CriteoFields];
        (int status, JsonElement response) = await server.PostAsync("/v2/models/fm/infer", JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = "ids", shape = new[] { 1, CriteoFields }, datatype = "INT64", data = ids } },
        }));
        Assert.Equal(400, status);
        Assert.Contains("input 'ids' row 0 field 1 ('I2'): id 0 is outside the field's ids", response.GetProperty("error").GetString(), StringComparison.Ordinal);

        int[] offsets = [.. (await server.GetAsync("/v2/models/fm")).Body.GetProperty("parameters").GetProperty("fields").EnumerateArray()
            .Select(f => f.GetProperty("offset").GetInt32())];
        string values = string.Join(", ", Enumerable.Repeat("1", CriteoFields - 1)) + ", 1e39";
        (status, response) = await server.PostAsync("/v2/models/fm/infer",
            $"{{\"inputs\": [{{\"name\": \"ids\", \"shape\": [1, {CriteoFields}], \"datatype\": \"INT64\", \"data\": [{string.Join(", ", offsets)}]}},"
            + $" {{\"name\": \"values\", \"shape\": [1, {CriteoFields}], \"datatype\": \"FP32\", \"data\": [{values}]}}]}}");
        Assert.Equal(400, status);
        Assert.Contains("input 'values' element 38: expected a finite FP32 number, got 1e39", response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModelsVersionsAndContentTypesAreRefused()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository());
        string body = "{\"instances\": [\"\"]}";
        (int status, JsonElement response) = await server.PostAsync("/v2/models/nope/infer", body);
        Assert.Equal((404, "unknown model 'nope'"), (status, response.GetProperty("error").GetString()));
        (status, response) = await server.PostAsync("/v1/models/fm/versions/2:predict", body);
        Assert.Equal((404, "model 'fm' version 2 is not loaded; version 1 serves"), (status, response.GetProperty("error").GetString()));
        Assert.Equal(404, (await server.GetAsync("/v2/models/fm/versions/7")).Status);

        using HttpResponseMessage text = await server.Client.PostAsync("/v1/models/fm:predict", new StringContent(body), TestContext.Current.CancellationToken);
        Assert.Equal(415, (int)text.StatusCode);
        Assert.Contains("must be application/json, got 'text/plain", (await RunningServer.BodyAsync(text)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverTheLimitGets413()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository(), o => o with { MaxBodyBytes = 4096 });
        string line = Unlabel(files.Lines[0]);
        string body = JsonSerializer.Serialize(new { instances = Enumerable.Repeat(line, 100).ToArray() });
        Assert.True(body.Length > 4096);
        (int status, JsonElement response) = await server.PostAsync("/v1/models/fm:predict", body);
        Assert.Equal(413, status);
        Assert.Contains("the limit", response.GetProperty("error").GetString(), StringComparison.Ordinal);

        // chunked, without a length up front
        var held = new HeldContent(body);
        held.Release();
        using HttpResponseMessage chunked = await server.Client.PostAsync("/v1/models/fm:predict", held, TestContext.Current.CancellationToken);
        Assert.Equal(413, (int)chunked.StatusCode);
    }

    internal static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];

    internal static string Unlabel(string line) => line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..];
}
