using System.Text;
using System.Text.Json;
using Clickwise.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clickwise.Tests.Serving;

/// <summary><c>clickwise serve</c>'s application on an in-process test server, started and with its first repository scan done.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    internal ModelSlots Slots => App.Services.GetRequiredService<ModelSlots>();

    public static async Task<RunningServer> StartAsync(string repository, Func<ServeOptions, ServeOptions>? tweak = null)
    {
        var options = new ServeOptions { ModelsDirectory = repository, Threads = 1, PollInterval = TimeSpan.Zero, DrainDelay = TimeSpan.Zero };
        WebApplication app = ServerApp.Build(tweak is null ? options : tweak(options), builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders(); // the console belongs to the CLI tests
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<ModelSlots>().FirstScan;
        return new RunningServer(app);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using HttpResponseMessage response = await PostJsonAsync(path, json);
        return ((int)response.StatusCode, await BodyAsync(response));
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(path, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await BodyAsync(response));
    }

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads the batcher of the version of <paramref name="model"/> that serves.</summary>
    internal T Batcher<T>(string model, Func<MicroBatcher, T> read)
    {
        ServedModel served = Slots.Acquire(model, null);
        try
        {
            return read(served.Batcher);
        }
        finally
        {
            served.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
