using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clickwise.Serving;

// The Open Inference Protocol v2 (KServe) REST messages, and TF Serving's predict, as the wire spells them.

/// <summary>An OIP v2 inference request: <c>inputs</c> are tensors; <c>parameters</c> may say how raw lines read.</summary>
public sealed record InferRequest(string? Id, Dictionary<string, JsonElement>? Parameters, List<InferInput>? Inputs, List<RequestedOutput>? Outputs);

/// <summary>One input tensor: data flat or nested, row-major, as many elements as the shape's product.</summary>
public sealed record InferInput(string? Name, long[]? Shape, string? Datatype, JsonElement Data);

public sealed record RequestedOutput(string? Name);

public sealed record InferResponse(string ModelName, string ModelVersion, string? Id, List<InferOutput> Outputs);

public sealed record InferOutput(string Name, long[] Shape, string Datatype, float[] Data);

/// <summary>A tensor a model takes or gives: shape -1 is any size.</summary>
public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

public sealed record ModelMetadata(string Name, string[] Versions, string Platform, TensorMetadata[] Inputs, TensorMetadata[] Outputs,
                                   ModelDetails Parameters);

/// <summary>What a caller needs to build requests: the model's fields in id order, their id ranges and how raw lines read.</summary>
public sealed record ModelDetails(string Architecture, string Format, bool RawLinesHaveHeader, string[] Columns, FieldDetails[] Fields);

/// <summary>A field: its global ids are <c>offset</c> to <c>offset + size - 1</c> (<c>offset</c> is the OOV id, <c>offset + 1</c> missing).</summary>
public sealed record FieldDetails(string Name, string Kind, int Offset, int Size);

public sealed record ServerMetadata(string Name, string Version, string[] Extensions);

public sealed record ModelIndexEntry(string Name, string? Version, string State, string? Reason);

public sealed record LoadResponse(string ModelName, string ModelVersion);

public sealed record ErrorResponse(string Error);

/// <summary>TF Serving's row format: each instance a raw line (string), a row of named column values (object) or global ids (array).</summary>
public sealed record PredictRequest(string? SignatureName, JsonElement Instances);

public sealed record PredictResponse(float[] Predictions, string ModelVersion);

/// <summary>TF Serving's model status: the version that serves (<c>AVAILABLE</c>), with the reason a newer one was refused.</summary>
public sealed record ModelStatusResponse(VersionStatus[] ModelVersionStatus);

public sealed record VersionStatus(string Version, string State, StatusDetail Status);

public sealed record StatusDetail(string ErrorCode, string ErrorMessage);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(InferRequest))]
[JsonSerializable(typeof(InferResponse))]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(ServerMetadata))]
[JsonSerializable(typeof(ModelIndexEntry[]))]
[JsonSerializable(typeof(LoadResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(ModelStatusResponse))]
[JsonSerializable(typeof(RepositoryConfig))]
internal sealed partial class ServingJson : JsonSerializerContext;
