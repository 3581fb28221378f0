using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>Builds a model by its <see cref="ModelConfig.Name"/>.</summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<ModelConfig, FeatureLayout, IReadOnlyDictionary<string, float[]>?, CtrModel>> Factories =
        new(StringComparer.Ordinal)
        {
            ["lr"] = (c, l, w) => new LRModel(c, l, w),
            ["fm"] = (c, l, w) => new FMModel(c, l, w),
            ["fwfm"] = (c, l, w) => new FwFMModel(c, l, w),
            ["deepfm"] = (c, l, w) => new DeepFMModel(c, l, w),
            ["deepfwfm"] = (c, l, w) => new DeepFwFMModel(c, l, w),
            ["nfm"] = (c, l, w) => new NFMModel(c, l, w),
            ["dnn"] = (c, l, w) => new DnnModel(c, l, w),
            ["wdl"] = (c, l, w) => new WideDeepModel(c, l, w),
            ["dcn"] = (c, l, w) => new DcnModel(c, l, w),
            ["dcnv2"] = (c, l, w) => new DcnV2Model(c, l, w),
            ["gdcn"] = (c, l, w) => new GdcnModel(c, l, w),
            ["ipnn"] = (c, l, w) => new IpnnModel(c, l, w),
            ["opnn"] = (c, l, w) => new OpnnModel(c, l, w),
            ["pnn"] = (c, l, w) => new PnnStarModel(c, l, w),
            ["deepfm-ip"] = (c, l, w) => new DeepFMIpModel(c, l, w),
            ["deepfm-op"] = (c, l, w) => new DeepFMOpModel(c, l, w),
            ["deepfm-p"] = (c, l, w) => new DeepFMPnnStarModel(c, l, w),
            ["xdeepfm"] = (c, l, w) => new XDeepFMModel(c, l, w),
            ["fibinet"] = (c, l, w) => new FiBiNetModel(c, l, w),
            ["ffm"] = (c, l, w) => new FFMModel(c, l, w),
            ["fnn"] = (c, l, w) => new FnnModel(c, l, w),
            ["wdl-fm"] = (c, l, w) => new WideDeepFMModel(c, l, w),
            ["autoint"] = (c, l, w) => new AutoIntModel(c, l, deep: false, w),
            ["autoint+"] = (c, l, w) => new AutoIntModel(c, l, deep: true, w),
        };

    /// <summary>Registered names in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lr", "fm", "fwfm", "deepfm", "deepfwfm", "nfm", "dnn", "wdl", "dcn", "dcnv2", "gdcn", "ipnn", "opnn", "pnn", "deepfm-ip", "deepfm-op", "deepfm-p", "xdeepfm", "fibinet", "ffm", "fnn", "wdl-fm", "autoint", "autoint+"];

    /// <summary>A new model, its weights initialised from the config's seed; call <see cref="CtrModel.PrepareTraining"/> to train it.</summary>
    public static CtrModel Create(ModelConfig config, FeatureLayout layout) => Build(config, layout, null);

    private static CtrModel Build(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights)
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

        return factory(config, layout, weights);
    }

    /// <summary>
    /// The model of a file: built from its config around <paramref name="tensors"/> (taken by name, not copied). A missing or
    /// misshapen tensor, or a config no model accepts, is bad data, not a bug.
    /// </summary>
    public static CtrModel Load(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]> tensors)
    {
        try
        {
            return Build(config, layout, tensors);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"model '{config.Name}': {e.Message}", e);
        }
    }
}
