using System.Text.Json;
using Clickwise.Tests.Cli;

namespace Clickwise.Tests.Serving;

/// <summary>Hot reload: a new version swaps in atomically, a broken one is refused while the old keeps serving, and shutdown flips readiness.</summary>
[Collection(CliCollection.Name)]
public sealed class ServeReloadTests(ServingFiles files) : IClassFixture<ServingFiles>
{
    [Fact]
    public async Task ALoadRequestSwapsInANewVersionAndRefusesABrokenOne()
    {
        string repository = files.NewRepository();
        await using RunningServer server = await RunningServer.StartAsync(repository);
        string request = JsonSerializer.Serialize(new { instances = files.Lines[..3].Select(ServeEndpointTests.Unlabel).ToArray() });
        float[] first = ServeEndpointTests.Floats((await server.PostAsync("/v1/models/fm:predict", request)).Body.GetProperty("predictions"));
        Assert.Equal(files.Predictions[..3], first);

        ServingFiles.Publish(repository, "fm", 2, files.SecondModel);
        (int status, JsonElement loaded) = await server.PostAsync("/v2/repository/models/fm/load", "");
        Assert.True(status == 200, loaded.ToString());
        Assert.Equal("2", loaded.GetProperty("model_version").GetString());
        (status, JsonElement answer) = await server.PostAsync("/v1/models/fm:predict", request);
        Assert.Equal("2", answer.GetProperty("model_version").GetString());
        Assert.NotEqual(first, ServeEndpointTests.Floats(answer.GetProperty("predictions")));

        // Version 3 is corrupted: one flipped byte fails the checksum. It is refused, and version 2 keeps serving.
        byte[] bytes = File.ReadAllBytes(files.SecondModel);
        bytes[bytes.Length / 2] ^= 0x40;
        string broken = files.Directory.File("broken.cwm");
        File.WriteAllBytes(broken, bytes);
        ServingFiles.Publish(repository, "fm", 3, broken);
        (status, JsonElement refused) = await server.PostAsync("/v2/repository/models/fm/load", "");
        Assert.Equal(400, status);
        string error = refused.GetProperty("error").GetString()!;
        Assert.Contains("checksum", error, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("version 2 keeps serving", error, StringComparison.Ordinal);
        Assert.Equal("2", (await server.PostAsync("/v1/models/fm:predict", request)).Body.GetProperty("model_version").GetString());
        Assert.Equal(200, (await server.GetAsync("/v2/health/ready")).Status);

        JsonElement index = (await server.PostAsync("/v2/repository/index", "")).Body;
        Assert.Equal(("fm", "2", "READY"), (index[0].GetProperty("name").GetString(), index[0].GetProperty("version").GetString(), index[0].GetProperty("state").GetString()));
        string metrics = await server.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("clickwise_model_version{model=\"fm\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("clickwise_model_load_failures_total{model=\"fm\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("clickwise_requests_total{route=\"/v1/models/{name}:predict\",code=\"200\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("clickwise_requests_total{route=\"/v2/repository/models/{name}/load\",code=\"400\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("clickwise_queue_depth{model=\"fm\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("clickwise_request_duration_seconds_bucket{route=\"/v1/models/{name}:predict\"", metrics, StringComparison.Ordinal);

        Assert.Equal(404, (await server.PostAsync("/v2/repository/models/nope/load", "")).Status);
    }

    [Fact]
    public async Task AtStartABrokenNewestVersionLeavesTheNewestGoodOneServing()
    {
        string repository = files.NewRepository();
        string broken = files.Directory.File("truncated.cwm");
        File.WriteAllBytes(broken, File.ReadAllBytes(files.SecondModel)[..1000]);
        ServingFiles.Publish(repository, "fm", 2, broken);
        await using RunningServer server = await RunningServer.StartAsync(repository);

        Assert.Equal(200, (await server.GetAsync("/v2/health/ready")).Status);
        Assert.Equal(1, Version(server));
        JsonElement entry = (await server.PostAsync("/v2/repository/index", "")).Body[0];
        Assert.Equal(("1", "READY"), (entry.GetProperty("version").GetString(), entry.GetProperty("state").GetString()));
        Assert.Contains(Path.Combine(repository, "fm", "2", "model.cwm"), entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollingPicksUpNewVersionsAndAPinnedOneWins()
    {
        string repository = files.NewRepository();
        await using RunningServer server = await RunningServer.StartAsync(repository, o => o with { PollInterval = TimeSpan.FromMilliseconds(20) });
        ServingFiles.Publish(repository, "fm", 5, files.SecondModel);
        await ServeBatchingTests.Until(() => Version(server) == 5);

        File.WriteAllText(Path.Combine(repository, "fm", "config.json"), "{\"version\": 1}");
        await ServeBatchingTests.Until(() => Version(server) == 1);
    }

    [Fact]
    public async Task ShutdownFlipsReadinessAndAnswersWhatIsInFlight()
    {
        await using RunningServer server = await RunningServer.StartAsync(files.NewRepository(), o => o with { BatchWait = TimeSpan.FromSeconds(30) });
        var held = new HeldContent(JsonSerializer.Serialize(new { instances = new[] { ServeEndpointTests.Unlabel(files.Lines[0]) } }));
        Task<HttpResponseMessage> inFlight = server.Client.PostAsync("/v1/models/fm:predict", held, TestContext.Current.CancellationToken);
        await ServeBatchingTests.Until(() => server.Batcher("fm", b => b.Arriving) == 1);

        server.Slots.BeginShutdown();
        Assert.Equal(503, (await server.GetAsync("/v2/health/ready")).Status);
        using HttpResponseMessage live = await server.Client.GetAsync("/v2/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)live.StatusCode);
        Assert.True(live.Headers.ConnectionClose, "a draining server closes each connection after its response");
        held.Release();
        using HttpResponseMessage answered = await inFlight;
        Assert.Equal(200, (int)answered.StatusCode);
    }

    [Fact]
    public void ServeCheckSaysWhichVersionWouldServe()
    {
        string repository = files.NewRepository();
        CliResult fine = CliRunner.Expect(0, "serve", "--models", repository, "--check");
        Assert.Equal("fm: version 1 would serve", fine.Out.Trim());

        System.IO.Directory.CreateDirectory(Path.Combine(repository, "ctr", "4"));
        File.WriteAllText(Path.Combine(repository, "ctr", "4", "model.cwm"), "not a model");
        CliResult broken = CliRunner.Expect(65, "serve", "--models", repository, "--check");
        Assert.StartsWith("ctr: ", broken.Out, StringComparison.Ordinal);
        Assert.Contains("fm: version 1 would serve", broken.Out, StringComparison.Ordinal);

        CliRunner.Expect(66, "serve", "--models", files.Directory.File("no-such-repo"), "--check");
    }

    private static long Version(RunningServer server)
    {
        Clickwise.Serving.ServedModel model = server.Slots.Acquire("fm", null);
        model.Release();
        return model.File.Version;
    }
}
