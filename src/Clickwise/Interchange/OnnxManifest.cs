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

    public static byte[] ToJson(ModelArtifact artifact, string onnxFile)
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
            w.WriteNumber("opset", OnnxGraph.OpsetVersion);
            w.WriteStartArray("inputs");
            WriteTensor(w, OnnxGraph.IdsInput, "int64", map.FieldCount, "global row ids, one per field in feature map order");
            if (values)
            {
                WriteTensor(w, OnnxGraph.ValuesInput, "float32", map.FieldCount, "each field's feature value (libsvm/libffm), scaling its embedding");
            }

            w.WriteEndArray();
            w.WriteStartArray("outputs");
            WriteTensor(w, OnnxGraph.LogitsOutput, "float32", 1, "the click logit");
            WriteTensor(w, OnnxGraph.ProbabilitiesOutput, "float32", 1, "the click probability, sigmoid of the logit");
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
            w.WriteString("id", "ids[f] = feature_map.fields[f].offset + local id; one feature per field (a multi-hot field's further features are not inputs of the graph)");
            w.WriteNumber("oov_local_id", FeatureMap.OovId);
            w.WriteNumber("missing_local_id", FeatureMap.MissingId);
            w.WriteNumber("first_category_local_id", FeatureMap.FirstCategoryId);
            w.WriteString("missing", "an empty field (or one a libsvm/libffm row does not name) has the missing local id");
            w.WriteString("token", "the field's raw bytes; a numeric field with numeric_transform log_square uses the decimal text of its category instead");
            w.WriteString("log_square", "x > 2: floor(ln(x)^2); otherwise x truncated toward zero (e.g. 2.7 -> 2, -1 -> -1); x is the field parsed as a number");
            w.WriteString("vocabulary", "hash_buckets = 0: local id = first_category_local_id + the token's index in the field's tokens, or oov_local_id when absent");
            w.WriteString("hashed", "hash_buckets > 0: local id = first_category_local_id + (h1 mod hash_buckets), h1 the first 64-bit word of MurmurHash3_x64_128(token, feature_map.hash_seed)");
            w.WriteString("values", values ? "values[f] is the feature's value; 1 where the format carries none" : "every value is 1: the graph takes no values input");
            w.WriteEndObject();
            w.WritePropertyName("feature_map");
            w.WriteRawValue(map.ToJson());
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteTensor(Utf8JsonWriter w, string name, string type, int width, string meaning)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("type", type);
        w.WriteStartArray("shape");
        w.WriteStringValue("N");
        w.WriteNumberValue(width);
        w.WriteEndArray();
        w.WriteString("meaning", meaning);
        w.WriteEndObject();
    }
}
