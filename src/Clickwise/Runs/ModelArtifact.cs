using System.Text.Json;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.IO;
using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Runs;

/// <summary>
/// A saved model: the architecture, the fitted feature map and the parameter tensors in one checksummed
/// model file (docs/model-format.md). Loading needs nothing else, so predict/eval/serve work from the file alone.
/// </summary>
public sealed class ModelArtifact
{
    private ModelArtifact(ModelConfig config, FeatureMap map, IReadOnlyDictionary<string, float[]> tensors, string? extraJson)
    {
        Config = config;
        FeatureMap = map;
        Tensors = tensors;
        ExtraJson = extraJson;
    }

    public ModelConfig Config { get; }

    public FeatureMap FeatureMap { get; }

    public IReadOnlyDictionary<string, float[]> Tensors { get; }

    /// <summary>Training summary stored with the model (JSON), if any.</summary>
    public string? ExtraJson { get; }

    /// <summary>
    /// How the training data was read (format, columns, delimiter), when the file says: <c>eval</c> and <c>predict</c>
    /// read new data the same way unless told otherwise. Null for files written before it was kept.
    /// </summary>
    public Data.Readers.ReaderOptions? Input => Extra<Data.Readers.ReaderOptions>("input");

    /// <summary>The preprocessing the model was trained with (split mode and seed, min count, …); null in older files.</summary>
    public Data.Pipeline.DataConfig? Preprocessing => ExtraText("preprocessing") is { } json ? Data.Pipeline.DataConfig.FromJson(json) : null;

    /// <summary>
    /// The ratios its training data was split by, parts given as files at 0: with <see cref="Preprocessing"/>'s mode and
    /// seed, which rows trained, validated and tested. Null in older files.
    /// </summary>
    public Data.Cache.SplitRatios? Split => Extra<Data.Cache.SplitRatios>("split");

    /// <summary>The full paths of the files it was trained on (a prepared directory's sources); empty when unknown or stdin.</summary>
    public IReadOnlyList<string> Sources => Extra<string[]>("sources") ?? [];

    /// <summary>A property of the stored training summary, or null when the file has none.</summary>
    private T? Extra<T>(string name)
        where T : class => ExtraText(name) is { } json ? JsonSerializer.Deserialize<T>(json, ConfigJson.Options) : null;

    private string? ExtraText(string name)
    {
        if (ExtraJson is null)
        {
            return null;
        }

        using JsonDocument extra = JsonDocument.Parse(ExtraJson);
        return extra.RootElement.ValueKind == JsonValueKind.Object && extra.RootElement.TryGetProperty(name, out JsonElement value)
            && value.ValueKind != JsonValueKind.Null
            ? value.GetRawText()
            : null;
    }

    public long ParameterCount => Tensors.Values.Sum(t => (long)t.Length);

    /// <summary>The parameters that are not zero: what a pruned model holds, as the pruning studies count it.</summary>
    public long NonZeroParameterCount => Tensors.Values.Sum(t => (long)t.Count(v => v != 0f));

    public static void Save(string path, CtrModel model, FeatureMap map, object? extra = null)
    {
        var content = new ModelFileContent
        {
            Kind = ModelFileKind.Model,
            ConfigJson = ConfigJson.Serialize(model.Config),
            FeatureMapJson = map.ToJson(),
            ExtraJson = extra is null ? null : JsonSerializer.Serialize(extra, ConfigJson.Options),
            Tensors = FieldWidthTensors.Pack(model.Config, map.Layout, ParameterTensors.ToTensors(model.Parameters)),
        };
        ModelFileWriter.Write(path, content);
    }

    public static ModelArtifact Load(string path)
    {
        ModelFileContent content = ModelFileReader.Read(path);
        if (content.Kind != ModelFileKind.Model && content.Kind != ModelFileKind.Checkpoint)
        {
            throw new InvalidDataException($"{path}: not a model file (kind {content.Kind})");
        }

        ModelConfig config = ConfigJson.Deserialize<ModelConfig>(content.CurrentConfigJson, $"{path}: model config");
        if (content.FeatureMapJson is null)
        {
            throw new InvalidDataException($"{path}: the model file has no feature map");
        }

        FeatureMap map = FeatureMap.FromJson(content.FeatureMapJson);
        IReadOnlyList<ModelTensor> stored;
        try
        {
            stored = FieldWidthTensors.Unpack(config, map.Layout, content.Tensors);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }

        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (ModelTensor tensor in stored)
        {
            if (tensor.DType == TensorDType.Float32 && !tensor.Name.Contains('/'))
            {
                tensors[tensor.Name] = tensor.Float32Data.ToArray();
            }
        }

        // The config is what inspect prints and what compiles: it must describe these tensors, name for name and shape
        // for shape, or the file says one architecture and holds another.
        try
        {
            ParameterTensors.Check(ModelRegistry.Load(config, map.Layout, tensors).Parameters, stored);
        }
        catch (Exception e) when (e is ModelFormatException or InvalidDataException)
        {
            throw new ModelFormatException($"{path}: the model config does not describe the file's tensors: {e.Message}", e);
        }

        return new ModelArtifact(config, map, tensors, content.ExtraJson);
    }

    /// <param name="sparse">False: dense kernels only, whatever was pruned (the baseline of a sparse plan).</param>
    /// <param name="objective">Speed or memory, for the planner's sparse choices.</param>
    /// <param name="compute">Kernels, threads and block rows of the plan; null is <see cref="ComputeContext.Default"/>.</param>
    public CompiledModel Compile(bool sparse = true, PlanObjective objective = PlanObjective.Speed, ComputeContext? compute = null) =>
        CompiledModel.Compile(Config, FeatureMap.Layout, Tensors, compute, sparse, objective);

    /// <summary>
    /// Whether a prunable tensor (embedding tables, field pairs, DNN weights) holds zeros: a pruned model. OptEmbed's shared
    /// table does not count: its zeros are the rows and widths its compact table already leaves out, whatever the plan.
    /// </summary>
    public bool IsPruned => Tensors.Any(t => Prunable(t.Key) && !(t.Key == EmbeddingPart.DefaultName && Config.HasEmbeddingMask)
        && Array.IndexOf(t.Value, 0f, 0, Weights(t.Key, t.Value)) >= 0);

    /// <summary>The entries of a tensor that are weights: all but the zero placeholder row a table with tensor-train fields ends with.</summary>
    private int Weights(string name, float[] values) =>
        name == EmbeddingPart.DefaultName && Config.EmbeddingTtRank > 0 ? values.Length - Config.EmbeddingDim : values.Length;

    private static bool Prunable(string name) => name is "embedding" or "fwfm.r" || name.EndsWith(".embedding", StringComparison.Ordinal)
        || (name.StartsWith("mlp.", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal));

    /// <summary>
    /// A trainable model with (a copy of) these weights, planned for batches of up to <paramref name="maxBatchSize"/> rows;
    /// <paramref name="dropout"/> replaces the saved DNN dropout (a fine-tune's own setting).
    /// </summary>
    public CtrModel Instantiate(int maxBatchSize, ComputeContext? compute = null, float? dropout = null)
    {
        CtrModel model = ModelRegistry.Load(dropout is float p ? Config with { Dropout = p } : Config, FeatureMap.Layout, Tensors.ToDictionary(t => t.Key, t => (float[])t.Value.Clone()));
        model.PrepareTraining(maxBatchSize, compute);
        return model;
    }
}
