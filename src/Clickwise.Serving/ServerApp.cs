using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Clickwise.Serving;

/// <summary>
/// <c>clickwise serve</c>'s web application: Kestrel with minimal APIs over the model repository, speaking the Open
/// Inference Protocol v2 (KServe, Triton) and TF Serving's predict, with Prometheus metrics and JSON logs.
/// </summary>
public static class ServerApp
{
    /// <param name="configure">Changes the host before it is built (tests put a test server in Kestrel's place).</param>
    public static WebApplication Build(ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // a line per request would cost more than the request
        builder.Logging.AddJsonConsole(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainDelay + options.ShutdownGrace);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ModelSlots>();
        builder.Services.AddSingleton<InferenceHandler>();
        builder.Services.AddHostedService<RepositoryWatcher>();
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clickwise.Serving");
        var slots = app.Services.GetRequiredService<ModelSlots>();
        app.Use((context, next) =>
        {
            if (slots.Stopping)
            {
                context.Response.Headers.Connection = "close"; // draining: the client's next request opens a connection elsewhere
            }

            return Answer(context, next, metrics, log);
        });
        app.UseRouting();
        ServerRoutes.Map(app, slots, app.Services.GetRequiredService<InferenceHandler>());
        app.MapMetrics("/metrics", metrics.Registry);
        return app;
    }

    /// <summary>
    /// Loads every model of the repository as serving would (checksum, compile, warm-up, self-test) without serving:
    /// which version of each would serve, or why none would.
    /// </summary>
    public static IReadOnlyList<ModelIndexEntry> Check(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var slots = new ModelSlots(options, new ServerMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelSlots>.Instance);
        slots.ScanAll();
        ModelIndexEntry[] entries = [.. slots.Index().Select(Entry)];
        slots.DrainAsync().GetAwaiter().GetResult();
        return entries;
    }

    internal static ModelIndexEntry Entry((string Name, ServedModel? Current, string? Reason) model) =>
        new(model.Name, model.Current?.Version, model.Current is null ? "UNAVAILABLE" : "READY", model.Reason);

    /// <summary>Runs the request, turns refusals into <c>{"error": …}</c> with their status (a 500 only for a bug), and counts it.</summary>
    private static async Task Answer(HttpContext context, RequestDelegate next, ServerMetrics metrics, ILogger log)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (RequestException e)
        {
            await WriteError(context, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteError(context, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = 499; // the client went away; nobody reads this
        }
        catch (Exception e)
        {
            log.LogError(e, "request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await WriteError(context, 500, $"internal error: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Requests.WithLabels(route, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            metrics.Latency.WithLabels(route).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private static Task WriteError(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), ServingJson.Default.ErrorResponse)).AsTask();
    }
}
