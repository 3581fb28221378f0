using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>Builds a model by its <see cref="ModelConfig.Name"/>.</summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<ModelConfig, FeatureLayout, int, CtrModel>> Factories =
        new(StringComparer.Ordinal)
        {
            ["lr"] = (c, l, b) => new LRModel(c, l, b),
            ["fm"] = (c, l, b) => new FMModel(c, l, b),
            ["fwfm"] = (c, l, b) => new FwFMModel(c, l, b),
            ["deepfm"] = (c, l, b) => new DeepFMModel(c, l, b),
            ["deepfwfm"] = (c, l, b) => new DeepFwFMModel(c, l, b),
            ["nfm"] = (c, l, b) => new NFMModel(c, l, b),
            ["dnn"] = (c, l, b) => new DnnModel(c, l, b),
            ["wdl"] = (c, l, b) => new WideDeepModel(c, l, b),
            ["dcn"] = (c, l, b) => new DcnModel(c, l, b),
            ["dcnv2"] = (c, l, b) => new DcnV2Model(c, l, b),
            ["gdcn"] = (c, l, b) => new GdcnModel(c, l, b),
            ["ipnn"] = (c, l, b) => new IpnnModel(c, l, b),
            ["opnn"] = (c, l, b) => new OpnnModel(c, l, b),
            ["pnn"] = (c, l, b) => new PnnStarModel(c, l, b),
            ["deepfm-ip"] = (c, l, b) => new DeepFMIpModel(c, l, b),
            ["deepfm-op"] = (c, l, b) => new DeepFMOpModel(c, l, b),
            ["deepfm-p"] = (c, l, b) => new DeepFMPnnStarModel(c, l, b),
            ["xdeepfm"] = (c, l, b) => new XDeepFMModel(c, l, b),
            ["fibinet"] = (c, l, b) => new FiBiNetModel(c, l, b),
            ["ffm"] = (c, l, b) => new FFMModel(c, l, b),
            ["fnn"] = (c, l, b) => new FnnModel(c, l, b),
            ["wdl-fm"] = (c, l, b) => new WideDeepFMModel(c, l, b),
            ["autoint"] = (c, l, b) => new AutoIntModel(c, l, b, deep: false),
            ["autoint+"] = (c, l, b) => new AutoIntModel(c, l, b, deep: true),
        };

    /// <summary>Registered names in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lr", "fm", "fwfm", "deepfm", "deepfwfm", "nfm", "dnn", "wdl", "dcn", "dcnv2", "gdcn", "ipnn", "opnn", "pnn", "deepfm-ip", "deepfm-op", "deepfm-p", "xdeepfm", "fibinet", "ffm", "fnn", "wdl-fm", "autoint", "autoint+"];

    public static CtrModel Create(ModelConfig config, FeatureLayout layout, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layout);
        if (!Factories.TryGetValue(config.Name, out var factory))
        {
            throw new ArgumentException(
                $"unknown model '{config.Name}'; known models: {string.Join(", ", Names)}.", nameof(config));
        }

        if (config.EmbeddingDim < 1)
        {
            throw new ArgumentException($"embedding dim must be >= 1, got {config.EmbeddingDim}.", nameof(config));
        }

        if (config.HiddenUnits.Any(h => h < 1))
        {
            throw new ArgumentException("every hidden layer needs at least one unit.", nameof(config));
        }

        if (config.CrossRank < 0 || config.CrossExperts < 1)
        {
            throw new ArgumentException(
                $"cross rank must be >= 0 and cross experts >= 1, got {config.CrossRank} and {config.CrossExperts}.", nameof(config));
        }

        if (config.SenetReduction < 1 || !Enum.IsDefined(config.BilinearType))
        {
            throw new ArgumentException(
                $"senet reduction must be >= 1 and bilinear type one of {string.Join(", ", Enum.GetNames<Layers.BilinearKind>())}, got {config.SenetReduction} and {config.BilinearType}.", nameof(config));
        }

        return factory(config, layout, maxBatchSize);
    }

    /// <summary>
    /// The model of a file: built from its config, its parameters set from <paramref name="tensors"/> by name. A missing or
    /// misshapen tensor, or a config no model accepts, is bad data, not a bug.
    /// </summary>
    public static CtrModel Load(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]> tensors)
    {
        CtrModel model;
        try
        {
            model = Create(config, layout, maxBatchSize: 1);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        foreach (Layers.Parameter parameter in model.Parameters)
        {
            if (!tensors.TryGetValue(parameter.Name, out float[]? values))
            {
                throw new InvalidDataException($"model '{config.Name}' needs tensor '{parameter.Name}', which is missing");
            }

            if (values.Length != parameter.Length)
            {
                throw new InvalidDataException(
                    $"model '{config.Name}': tensor '{parameter.Name}' has {values.Length} values, expected {parameter.Length}");
            }

            values.CopyTo(parameter.Value, 0);
        }

        return model;
    }
}
