using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// DCN: the cross network of <see cref="DcnCrossLayers"/> (x_{l+1} = x_0 (x_lᵀ w_l) + b_l + x_l) beside the DNN, both
/// over the flattened embeddings, combined by one linear unit (see <see cref="CrossDeepModel"/>).
/// </summary>
/// <remarks>Wang et al., "Deep &amp; Cross Network for Ad Click Predictions" (ADKDD 2017), eq. 3-5.</remarks>
public sealed class DcnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : CrossDeepModel(config, layout, weights,
        (parameters, width, random) => new DcnCrossLayers(parameters, "cross", width, config.OptionsOf<CrossOptions>().CrossLayers, random));
