using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Clickwise.Serving;

/// <summary>The HTTP routes: OIP v2 health, metadata, inference and repository load; TF Serving predict.</summary>
internal static class ServerRoutes
{
    public static void Map(WebApplication app, ModelSlots slots, InferenceHandler inference)
    {
        app.MapGet("/v2/health/live", () => Results.Ok());
        app.MapGet("/v2/health/ready", () => slots.Ready ? Results.Ok() : Results.StatusCode(503));
        app.MapGet("/v2", () => Results.Json(new ServerMetadata("clickwise", typeof(ServerApp).Assembly.GetName().Version?.ToString(3) ?? "0",
            ["model_repository"]), ServingJson.Default.ServerMetadata));

        app.MapGet("/v2/models/{name}", (string name) => Metadata(slots, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}", (string name, string version) => Metadata(slots, name, version));
        app.MapGet("/v2/models/{name}/ready", (string name) => ModelReady(slots, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", (string name, string version) => ModelReady(slots, name, version));
        app.MapPost("/v2/models/{name}/infer", (HttpContext context, string name) => inference.InferAsync(context, name, null));
        app.MapPost("/v2/models/{name}/versions/{version}/infer",
            (HttpContext context, string name, string version) => inference.InferAsync(context, name, version));

        app.MapPost("/v2/repository/index", () => Results.Json(
            [.. slots.Index().Select(ServerApp.Entry)],
            ServingJson.Default.ModelIndexEntryArray));
        app.MapPost("/v2/repository/models/{name}/load", (string name) =>
        {
            (ServedModel? serving, string? error) = slots.Refresh(name, force: true);
            return error is null && serving is not null
                ? Results.Json(new LoadResponse(name, serving.Version), ServingJson.Default.LoadResponse)
                : Results.Json(new ErrorResponse($"model '{name}': {error}" + (serving is null ? "" : $"; version {serving.Version} keeps serving")),
                    ServingJson.Default.ErrorResponse, statusCode: 400);
        });

        app.MapGet("/v1/models/{name}", (string name) => Status(slots, name, null));
        app.MapGet("/v1/models/{name}/versions/{version}", (string name, string version) => Status(slots, name, version));
        app.MapPost("/v1/models/{name}:predict", (HttpContext context, string name) => inference.PredictAsync(context, name, null));
        app.MapPost("/v1/models/{name}/versions/{version}:predict",
            (HttpContext context, string name, string version) => inference.PredictAsync(context, name, version));
    }

    private static IResult Metadata(ModelSlots slots, string name, string? version)
    {
        ServedModel model = slots.Acquire(name, version);
        model.Release();
        return Results.Json(model.Metadata, ServingJson.Default.ModelMetadata);
    }

    private static IResult Status(ModelSlots slots, string name, string? version)
    {
        ServedModel model = slots.Acquire(name, version);
        model.Release();
        string? refused = slots.Index().First(m => m.Name == name).Reason;
        var status = new VersionStatus(model.Version, "AVAILABLE", new StatusDetail("OK", refused is null ? "" : $"a newer version was refused: {refused}"));
        return Results.Json(new ModelStatusResponse([status]), ServingJson.Default.ModelStatusResponse);
    }

    private static IResult ModelReady(ModelSlots slots, string name, string? version)
    {
        ServedModel model = slots.Acquire(name, version);
        model.Release();
        return Results.Ok();
    }
}
