using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>OPNN: the DNN reads [e ‖ sᵀ·W_n·s for H kernels], the outer products in superposition form (s = Σ_f e_f), then the MLP.</summary>
/// <remarks>Qu et al., "Product-based Neural Networks for User Response Prediction" (ICDM 2016) §3.3 (outer product); DeepFM paper (seed 003) §III.A.4.</remarks>
public sealed class OpnnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : PnnModel(config, layout, weights, inner: false, outer: true);
