using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>PNN*: the DNN reads [e ‖ inner products ‖ outer-product signals], then the MLP.</summary>
/// <remarks>Qu et al., "Product-based Neural Networks for User Response Prediction" (ICDM 2016) §3 (PNN*, both products); DeepFM paper (seed 003) §III.A.4.</remarks>
public sealed class PnnStarModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : PnnModel(config, layout, weights, inner: true, outer: true);
