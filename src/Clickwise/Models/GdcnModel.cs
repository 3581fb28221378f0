using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// GDCN-P, the parallel form: the gated cross network of <see cref="GatedCrossLayers"/>
/// (c_{l+1} = c_0 ⊙ (c_l·W_c + b) ⊙ σ(c_l·W_g) + c_l) beside the DNN, combined by one linear unit
/// (see <see cref="CrossDeepModel"/>).
/// </summary>
/// <remarks>Wang et al., "Towards Deeper, Lighter and Interpretable Cross Network for CTR Prediction" (CIKM 2023), eq. 1, Fig. 2 (GDCN-P).</remarks>
public sealed class GdcnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : CrossDeepModel(config, layout, weights,
        (parameters, width, random) => new GatedCrossLayers(parameters, "cross", width, config.OptionsOf<CrossOptions>().CrossLayers, random));
