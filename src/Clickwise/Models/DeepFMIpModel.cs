using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>DeepFM-IP: DeepFM's first-order and FM terms plus <see cref="IpnnModel"/>'s product DNN, over shared embeddings.</summary>
/// <remarks>Guo et al., "DeepFM: An End-to-End Wide &amp; Deep Learning Framework for CTR Prediction" (extended version), §III.A.4 (DeepFM-P, deep component IPNN), eq. 1 and 9.</remarks>
public sealed class DeepFMIpModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
    : PnnModel(config, layout, weights, inner: true, outer: false, fm: true);
