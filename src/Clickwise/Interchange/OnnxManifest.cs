using System.Text.Json;
using Clickwise.Features;
using Clickwise.Runs;

namespace Clickwise.Interchange;

/// <summary>
/// What another runtime needs beside the ONNX file to serve raw rows: the graph's inputs and outputs, how the training data
/// was read (format, columns) and how a raw row becomes the ids input, with the fitted feature map itself (per field its
/// offset, kind, numeric transform, hash buckets and kept tokens in id order). The rules are stated in words and in the
/// map's terms so that an encoder written from them alone gives Clickwise's ids (tested).
/// </summary>
public static class OnnxManifest
{
    public const string FormatName = "clickwise-onnx-manifest";
    public const int FormatVersion = 1;

    /// <summary>The manifest of <paramref name="onnxFile"/>, whose large initializers are in <paramref name="externalDataFile"/> when not null.</summary>
    public static byte[] ToJson(ModelArtifact artifact, string onnxFile, string? externalDataFile)
    {
        FeatureMap map = artifact.FeatureMap;
        bool values = OnnxExport.CarriesValues(artifact);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("model", artifact.Config.Name);
            w.WriteString("onnx", onnxFile);
            w.WriteString("external_data", externalDataFile);
            w.WriteNumber("opset", OnnxGraph.OpsetVersion);
            w.WriteStartArray("inputs");
            object[] shape = values ? ["N", map.FieldCount, "K"] : ["N", map.FieldCount];
            WriteTensor(w, OnnxGraph.IdsInput, "int64", shape, values
                ? "global row ids of each field's features in feature map order, K the most features any field of the batch has; padding any id of the table, e.g. the field's missing id"
                : "global row ids, one per field in feature map order");
            if (values)
            {
                WriteTensor(w, OnnxGraph.ValuesInput, "float32", shape,
                    "each feature's value (libsvm/libffm), scaling its embedding; a field's features are summed; padding 0");
            }

            w.WriteEndArray();
            w.WriteStartArray("outputs");
            WriteTensor(w, OnnxGraph.LogitsOutput, "float32", OnnxGraph.OutputShape, "the click logit");
            WriteTensor(w, OnnxGraph.ProbabilitiesOutput, "float32", OnnxGraph.OutputShape, "the click probability, sigmoid of the logit");
            w.WriteEndArray();
            w.WritePropertyName("input");
            if (artifact.Input is { } input)
            {
                w.WriteRawValue(ConfigJson.Serialize(input));
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteStartObject("encoding");
            w.WriteString("id", values
                ? "ids[n, f, k] = feature_map.fields[f].offset + local id of the k-th feature of field f in row n, in the order of the line"
                : "ids[n, f] = feature_map.fields[f].offset + local id; one feature per field");
            w.WriteNumber("oov_local_id", FeatureMap.OovId);
            w.WriteNumber("missing_local_id", FeatureMap.MissingId);
            w.WriteNumber("first_category_local_id", FeatureMap.FirstCategoryId);
            w.WriteString("missing", "an empty field (or one a libsvm/libffm row does not name) has the missing local id");
            w.WriteString("token", "the field's raw bytes; a numeric field with numeric_transform log_square uses the decimal text of its category instead");
            w.WriteString("log_square", "x > 2: floor(ln(x)^2); otherwise x truncated toward zero (e.g. 2.7 -> 2, -1 -> -1); x is the field parsed as a number");
            w.WriteString("vocabulary", "hash_buckets = 0: local id = first_category_local_id + the token's index in the field's tokens, or oov_local_id when absent");
            w.WriteString("hashed", "hash_buckets > 0: local id = first_category_local_id + (h1 mod hash_buckets), h1 the first 64-bit word of MurmurHash3_x64_128(token, feature_map.hash_seed)");
            w.WriteString("values", values
                ? "values[n, f, k] is the feature's value, 1 for a missing field; padding (k past the field's features) is 0"
                    + (map.Pooling == Pooling.Mean ? "; pooling mean: each value is divided by the number of features its field has in that row" : "")
                : "every value is 1: the graph takes no values input");
            w.WriteEndObject();
            w.WritePropertyName("feature_map");
            w.WriteRawValue(map.ToJson());
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteTensor(Utf8JsonWriter w, string name, string type, object[] shape, string meaning)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("type", type);
        w.WriteStartArray("shape");
        foreach (object dim in shape)
        {
            if (dim is string symbol)
            {
                w.WriteStringValue(symbol);
            }
            else
            {
                w.WriteNumberValue((int)dim);
            }
        }

        w.WriteEndArray();
        w.WriteString("meaning", meaning);
        w.WriteEndObject();
    }
}
