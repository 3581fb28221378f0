using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>DeepFM-*P: DeepFM's first-order and FM terms plus <see cref="PnnStarModel"/>'s product DNN, over shared embeddings.</summary>
/// <remarks>Guo et al., "DeepFM: An End-to-End Wide &amp; Deep Learning Framework for CTR Prediction" (extended version), §III.A.4 (DeepFM-P, deep component PNN*), eq. 1 and 9.</remarks>
public sealed class DeepFMPnnStarModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : PnnModel(config, layout, weights, inner: true, outer: true, fm: true);
