using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// DCNv2 in its parallel structure: the full-rank cross network of <see cref="DcnV2CrossLayers"/>
/// (x_{l+1} = x_0 ⊙ (x_l·W_l + b_l) + x_l), or with <see cref="DcnV2Options.CrossRank"/> &gt; 0 the low-rank mixture of
/// <see cref="DcnV2MixtureCrossLayers"/>, beside the DNN, combined by one linear unit (see <see cref="CrossDeepModel"/>).
/// </summary>
/// <remarks>Wang et al., "DCN V2: Improved Deep &amp; Cross Network and Practical Lessons for Web-scale Learning to Rank Systems" (WWW 2021), eq. 1-4, Fig. 2 (parallel).</remarks>
public sealed class DcnV2Model(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : CrossDeepModel(config, layout, weights, (parameters, width, random) => config.OptionsOf<DcnV2Options>() is { CrossRank: > 0 } o
        ? new DcnV2MixtureCrossLayers(parameters, "cross", width, o.CrossLayers, o.CrossRank, o.CrossExperts, random)
        : new DcnV2CrossLayers(parameters, "cross", width, config.OptionsOf<DcnV2Options>().CrossLayers, random));
