using System.Text.Json;
using Clickwise.Tests.Cli;

namespace Clickwise.Tests.Serving;

/// <summary>
/// Micro-batching, load shedding and deadlines, made deterministic with a request held half-sent: while it is being
/// read, the batch worker holding other requests waits for it (up to a long batch wait), so what is queued is known.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeBatchingTests(ServingFiles files) : IClassFixture<ServingFiles>
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConcurrentRequestsAreScoredInOnePlanCall()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository(), o => o with { BatchWait = LongWait });
        var held = new HeldContent(Lines(2, 1));
        Task<HttpResponseMessage> c = server.Client.PostAsync("/v1/models/fm:predict", held, TestContext.Current.CancellationToken);
        await Until(() => server.Batcher("fm", b => b.Arriving) == 1);
        Task<HttpResponseMessage> a = server.PostJsonAsync("/v1/models/fm:predict", Lines(0, 1));
        await Until(() => server.Batcher("fm", b => b.Depth) == 1);
        Task<HttpResponseMessage> b = server.PostJsonAsync("/v1/models/fm:predict", Lines(3, 2));
        await Until(() => server.Batcher("fm", b => b.Depth) == 2);
        held.Release();

        Assert.Equal(files.Predictions[0..1], await PredictionsAsync(a));
        Assert.Equal(files.Predictions[3..5], await PredictionsAsync(b));
        Assert.Equal(files.Predictions[2..3], await PredictionsAsync(c));
        string metrics = await server.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("clickwise_batch_rows_sum{model=\"fm\"} 4", metrics, StringComparison.Ordinal);
        Assert.Contains("clickwise_batch_rows_count{model=\"fm\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullQueueShedsWith503AndRetryAfter()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository(), o => o with { BatchWait = LongWait, QueueCapacity = 1 });
        var held = new HeldContent(Lines(2, 1));
        Task<HttpResponseMessage> c = server.Client.PostAsync("/v1/models/fm:predict", held, TestContext.Current.CancellationToken);
        await Until(() => server.Batcher("fm", b => b.Arriving) == 1);
        Task<HttpResponseMessage> a = server.PostJsonAsync("/v1/models/fm:predict", Lines(0, 1));
        await Until(() => server.Batcher("fm", b => b.Depth) == 1);

        using HttpResponseMessage shed = await server.PostJsonAsync("/v1/models/fm:predict", Lines(1, 1));
        Assert.Equal(503, (int)shed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), shed.Headers.RetryAfter?.Delta);
        Assert.Contains("1 requests queued or being scored, its limit", (await RunningServer.BodyAsync(shed)).GetProperty("error").GetString(), StringComparison.Ordinal);

        held.Release();
        using HttpResponseMessage third = await c;
        Assert.Equal(files.Predictions[0..1], await PredictionsAsync(a));
        Assert.Contains((int)third.StatusCode, new[] { 200, 503 }); // it may find the queue still full or already free
    }

    [Fact]
    public async Task ARequestPastItsDeadlineGets504()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository(),
            o => o with { BatchWait = LongWait, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var held = new HeldContent(Lines(2, 1));
        Task<HttpResponseMessage> c = server.Client.PostAsync("/v1/models/fm:predict", held, TestContext.Current.CancellationToken);
        await Until(() => server.Batcher("fm", b => b.Arriving) == 1);
        using HttpResponseMessage late = await server.PostJsonAsync("/v1/models/fm:predict", Lines(0, 1));
        Assert.Equal(504, (int)late.StatusCode);
        Assert.Contains("not answered within the 300 ms deadline", (await RunningServer.BodyAsync(late)).GetProperty("error").GetString(), StringComparison.Ordinal);
        held.Release();
        using HttpResponseMessage released = await c;
        Assert.True((int)released.StatusCode is 200 or 504);

        // A deadline already spent on reading the request is answered before the request is queued.
        await using RunningServer hasty = await RunningServer.StartAsync(files.NewRepository(), o => o with { RequestTimeout = TimeSpan.FromTicks(1) });
        using HttpResponseMessage spent = await hasty.PostJsonAsync("/v1/models/fm:predict", Lines(0, 1));
        Assert.Equal(504, (int)spent.StatusCode);
        Assert.Equal(0, hasty.Batcher("fm", b => b.Depth));
    }

    private string Lines(int from, int count) =>
        JsonSerializer.Serialize(new { instances = files.Lines[from..(from + count)].Select(ServeEndpointTests.Unlabel).ToArray() });

    private static async Task<float[]> PredictionsAsync(Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage response = await request;
        JsonElement body = await RunningServer.BodyAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return ServeEndpointTests.Floats(body.GetProperty("predictions"));
    }

    /// <summary>Waits (polling, no time limit of its own: the test run's timeout bounds it) until <paramref name="condition"/> holds.</summary>
    internal static async Task Until(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }
    }
}
