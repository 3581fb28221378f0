using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>IPNN: the DNN reads [e ‖ ⟨e_i, e_j⟩ for all P pairs], then the MLP.</summary>
/// <remarks>Qu et al., "Product-based Neural Networks for User Response Prediction" (ICDM 2016) §3.2 (inner product); DeepFM paper (seed 003) §III.A.4.</remarks>
public sealed class IpnnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : PnnModel(config, layout, weights, inner: true, outer: false);
