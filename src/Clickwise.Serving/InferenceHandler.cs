using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Clickwise.Layers;
using Microsoft.AspNetCore.Http;

namespace Clickwise.Serving;

/// <summary>
/// The inference path both protocols share: hold the version that serves, parse and encode the body with it, queue the
/// rows for its batcher (full: 503), and wait for the logits within the request deadline (past it: 504).
/// </summary>
internal sealed class InferenceHandler(ModelSlots slots, ServeOptions options)
{
    private const string ProbabilityOutput = "probability", LogitOutput = "logit";

    /// <summary>OIP v2 <c>POST /v2/models/{name}[/versions/{version}]/infer</c>.</summary>
    public Task<IResult> InferAsync(HttpContext context, string name, string? version) =>
        HandleAsync(context, name, version, ServingJson.Default.InferRequest, Encode, (model, request, logits) =>
        {
            bool[] wanted = Outputs(request.Outputs);
            var outputs = new List<InferOutput>(2);
            if (wanted[0])
            {
                outputs.Add(new InferOutput(ProbabilityOutput, [logits.Length, 1], "FP32", Probabilities(logits)));
            }

            if (wanted[1])
            {
                outputs.Add(new InferOutput(LogitOutput, [logits.Length, 1], "FP32", logits));
            }

            return Results.Json(new InferResponse(model.Name, model.Version, request.Id, outputs), ServingJson.Default.InferResponse);
        });

    /// <summary>TF Serving <c>POST /v1/models/{name}[/versions/{version}]:predict</c> with <c>instances</c>.</summary>
    public Task<IResult> PredictAsync(HttpContext context, string name, string? version) =>
        HandleAsync(context, name, version, ServingJson.Default.PredictRequest, (encoder, request) => Instances.Encode(encoder, request.Instances),
            (model, _, logits) => Results.Json(new PredictResponse(Probabilities(logits), model.Version), ServingJson.Default.PredictResponse));

    private async Task<IResult> HandleAsync<T>(HttpContext context, string name, string? version, JsonTypeInfo<T> type,
                                               Func<RowEncoder, T, EncodedRows> encode, Func<ServedModel, T, float[], IResult> answer)
        where T : class
    {
        long start = Stopwatch.GetTimestamp();
        ServedModel model = slots.Acquire(name, version);
        try
        {
            T request;
            BatchItem item;
            // Until its rows are submitted, the request counts as arriving: a worker holding others waits for it.
            model.Batcher.BeginArrival();
            try
            {
                request = await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, type).ConfigureAwait(false);
                item = Submit(model, encode(model.Encoder, request), start);
            }
            finally
            {
                model.Batcher.EndArrival();
            }

            return answer(model, request, await WaitAsync(item, start, context.RequestAborted).ConfigureAwait(false));
        }
        finally
        {
            model.Release();
        }
    }

    /// <summary>Scores the rows at once when the request is alone, else queues them for a batch worker (503 when the queue is full).</summary>
    private BatchItem Submit(ServedModel model, EncodedRows rows, long start)
    {
        if (Stopwatch.GetElapsedTime(start) >= options.RequestTimeout)
        {
            throw PastDeadline(); // spent reading and parsing: not worth a place in the queue
        }

        var item = new BatchItem(rows);
        return model.Batcher.TryRunInline(item) || model.Batcher.TryEnqueue(item)
            ? item
            : throw new RequestException(503, $"model '{model.Name}' has {options.QueueCapacity} requests queued or being scored, its limit; retry shortly");
    }

    private async Task<float[]> WaitAsync(BatchItem item, long start, CancellationToken aborted)
    {
        TimeSpan left = options.RequestTimeout - Stopwatch.GetElapsedTime(start);
        try
        {
            await item.Done.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            item.TryAbandon();
            if (aborted.IsCancellationRequested)
            {
                throw;
            }

            throw PastDeadline();
        }

        return item.Logits;
    }

    private RequestException PastDeadline() => new(504, $"not answered within the {options.RequestTimeout.TotalMilliseconds:0.###} ms deadline");

    private static EncodedRows Encode(RowEncoder encoder, InferRequest request)
    {
        List<InferInput> inputs = request.Inputs is { Count: > 0 } given ? given : throw RequestException.BadRequest("the request has no inputs");
        if (inputs.Find(i => i.Name == "ids") is { } ids)
        {
            return EncodeIds(encoder, inputs, ids);
        }

        if (inputs.Find(i => i.Name == "raw") is { } raw)
        {
            if (inputs.Count > 1)
            {
                throw RequestException.BadRequest("input 'raw' comes alone: raw lines carry every column");
            }

            RequireType(raw, "BYTES");
            List<JsonElement> elements = TensorData.Elements(raw);
            string[] lines = new string[elements.Count];
            for (int i = 0; i < lines.Length; i++)
            {
                lines[i] = elements[i].ValueKind == JsonValueKind.String
                    ? elements[i].GetString()!
                    : throw RequestException.BadRequest($"input 'raw' element {i}: expected a string (a raw line), got {TensorData.Describe(elements[i])}");
            }

            return encoder.FromLines("raw", lines, Flag(request.Parameters, "labeled"), Text(request.Parameters, "header"));
        }

        var columns = new List<(string, IReadOnlyList<JsonElement>)>(inputs.Count);
        foreach (InferInput input in inputs)
        {
            if (input.Datatype is not ("BYTES" or "FP32" or "FP64" or "INT32" or "INT64"))
            {
                throw RequestException.BadRequest($"input '{input.Name}' has datatype '{input.Datatype}'; a column takes BYTES, FP32, FP64, INT32 or INT64");
            }

            columns.Add((input.Name ?? throw RequestException.BadRequest("an input has no name"), TensorData.Elements(input)));
        }

        return encoder.FromColumns(columns, columns[0].Item2.Count);
    }

    private static EncodedRows EncodeIds(RowEncoder encoder, List<InferInput> inputs, InferInput ids)
    {
        InferInput? values = inputs.Find(i => i.Name == "values");
        if (inputs.Find(i => i.Name is not ("ids" or "values")) is { } other)
        {
            throw RequestException.BadRequest($"unknown input '{other.Name}' beside 'ids': encoded rows take 'ids' and optionally 'values'");
        }

        RequireType(ids, "INT64", "INT32");
        int f = encoder.FieldCount;
        if (ids.Shape is not [var n, var width] || width != f)
        {
            throw RequestException.BadRequest($"input 'ids' has shape {TensorData.Show(ids.Shape ?? [])}; the model takes [N, {f}]");
        }

        List<JsonElement>? valueElements = null;
        if (values is not null)
        {
            RequireType(values, "FP32");
            if (values.Shape is not [var rows, var columns] || rows != n || columns != f)
            {
                throw RequestException.BadRequest($"input 'values' has shape {TensorData.Show(values.Shape ?? [])}; 'ids' has [{n}, {f}]");
            }

            valueElements = TensorData.Elements(values);
        }

        return encoder.FromIds("ids", TensorData.Elements(ids), (int)n, "values", valueElements);
    }

    private static void RequireType(InferInput input, params string[] types)
    {
        if (Array.IndexOf(types, input.Datatype) < 0)
        {
            throw RequestException.BadRequest($"input '{input.Name}' has datatype '{input.Datatype}'; it takes {string.Join(" or ", types)}");
        }
    }

    /// <summary>Which outputs to send: probability and/or logit; none named: probability.</summary>
    private static bool[] Outputs(List<RequestedOutput>? requested)
    {
        if (requested is not { Count: > 0 })
        {
            return [true, false];
        }

        bool[] wanted = new bool[2];
        foreach (RequestedOutput output in requested)
        {
            int index = output.Name switch
            {
                ProbabilityOutput => 0,
                LogitOutput => 1,
                _ => throw RequestException.BadRequest($"unknown output '{output.Name}': the model gives '{ProbabilityOutput}' and '{LogitOutput}'"),
            };
            wanted[index] = true;
        }

        return wanted;
    }

    private static float[] Probabilities(float[] logits)
    {
        float[] p = new float[logits.Length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = BinaryLogLoss.Sigmoid(logits[i]);
        }

        return p;
    }

    private static bool Flag(Dictionary<string, JsonElement>? parameters, string name) =>
        parameters is not null && parameters.TryGetValue(name, out JsonElement value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw RequestException.BadRequest($"parameters.{name} must be true or false, got {TensorData.Describe(value)}"),
        };

    private static string? Text(Dictionary<string, JsonElement>? parameters, string name) =>
        parameters is null || !parameters.TryGetValue(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString() : throw RequestException.BadRequest($"parameters.{name} must be a string");
}
