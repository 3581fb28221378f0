using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The architecture of a model, serialised verbatim into model files. Training settings (optimizer, epochs,
/// batch size) live in the training config, not here: a model file must be loadable without them.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Registry name: lr, fm, fwfm, deepfm, deepfwfm, nfm, dnn, wdl, dcn, dcnv2, gdcn, ipnn, opnn, pnn, deepfm-ip, deepfm-op, deepfm-p, xdeepfm, fibinet, ffm, fnn, wdl-fm, autoint, autoint+.</summary>
    public string Name { get; init; } = "deepfwfm";

    /// <summary>D, the embedding width of every field (FFM: of each of a feature's F field-aware vectors; FNN's per-field input is D + 1).</summary>
    public int EmbeddingDim { get; init; } = 10;

    /// <summary>H per hidden layer of the DNN part (DeepFM, DeepFwFM, NFM, DNN, Wide &amp; Deep, the cross models, the PNNs, xDeepFM, FiBiNet, FNN, both Wide &amp; Deeps, AutoInt+).</summary>
    public int[] HiddenUnits { get; init; } = [400, 400, 400];

    /// <summary>The DNN's hidden-layer activation, relu or tanh (the DeepFM paper's Table III); files written before it existed load as relu.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Dropout rate applied after every hidden layer while training (0 disables).</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>L, the number of cross layers of the cross-network models (dcn, dcnv2, gdcn); others ignore it.</summary>
    public int CrossLayers { get; init; } = 3;

    /// <summary>
    /// DCNv2's cross form: 0 is the full-rank layer (W [X, X]); r &gt; 0 the low-rank mixture of
    /// <see cref="CrossExperts"/> experts of rank r. Only dcnv2 reads it.
    /// </summary>
    public int CrossRank { get; init; }

    /// <summary>M, the experts of DCNv2's low-rank mixture (used when <see cref="CrossRank"/> &gt; 0); 4 as in the paper.</summary>
    public int CrossExperts { get; init; } = 4;

    /// <summary>H_1..H_K, the feature maps per CIN layer of xdeepfm (the paper's 100×100×50); others ignore it.</summary>
    public int[] CinLayers { get; init; } = [100, 100, 50];

    /// <summary>
    /// xdeepfm's CIN sends only half of each layer but the last to the next layer and sum-pools the other half (the
    /// authors' code); every layer before the last then needs an even size.
    /// </summary>
    public bool CinSplitHalf { get; init; } = true;
    /// <summary>
    /// FiBiNet's bilinear sharing (field_all, field_each, field_interaction); only fibinet reads it. The default,
    /// one W_ij per pair, is the default of DeepCTR(-Torch) and FuxiCTR's FiBiNET.
    /// </summary>
    public BilinearKind BilinearType { get; init; } = BilinearKind.FieldInteraction;

    /// <summary>FiBiNet's SENET reduction ratio r (bottleneck R = max(1, F / r)); 3 as in DeepCTR and FuxiCTR. Only fibinet reads it.</summary>
    public int SenetReduction { get; init; } = 3;

    /// <summary>L, the interacting (multi-head self-attention) layers of autoint and autoint+; 3 as in the AutoInt paper. Others ignore it.</summary>
    public int AttentionLayers { get; init; } = 3;

    /// <summary>K, the attention heads of every interacting layer; 2 as in the AutoInt paper.</summary>
    public int AttentionHeads { get; init; } = 2;

    /// <summary>d', the width of one attention head (a layer's output per field is K·d'); 32 as in the AutoInt paper.</summary>
    public int AttentionDim { get; init; } = 32;

    /// <summary>Whether every interacting layer adds the residual projection e·W_res before its ReLU (the paper's default).</summary>
    public bool AttentionResidual { get; init; } = true;

    /// <summary>Standard deviation of the normal initialisation of embeddings.</summary>
    public float InitStd { get; init; } = 0.01f;

    /// <summary>Seeds initialisation and dropout masks.</summary>
    public int Seed { get; init; } = 2019;
}
