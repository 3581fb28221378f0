using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>
/// One registered model: its <see cref="ModelConfig.Name"/>, how the documentation presents it
/// (<c>docs/models.md</c> is generated from these entries), and how to build it.
/// </summary>
/// <param name="Name">The <c>--model</c> and config name.</param>
/// <param name="Title">The name papers and tables use ("DeepFM-IP").</param>
/// <param name="Family">The group the documentation lists it under.</param>
/// <param name="Create">Builds the model for a config and a feature layout, around saved weights when given (null initialises).</param>
/// <param name="Logit">What the model computes, in one line (Markdown).</param>
/// <param name="Paper">Where the model comes from.</param>
/// <param name="Settings">The <c>model</c> config keys only this model reads, and where its math is (Markdown); null: none.</param>
/// <param name="Options">The defaults of the model's own settings record (<see cref="ModelOptions.None"/> when it has none).</param>
/// <param name="Dnn">Whether the model has the DNN the core's hidden units, activation and dropout describe.</param>
public sealed record ModelEntry(string Name, string Title, string Family, Func<ModelConfig, FeatureLayout, IReadOnlyDictionary<string, float[]>?, CtrModel> Create,
                                string Logit, string Paper, string? Settings = null, ModelOptions? Options = null, bool Dnn = true);

/// <summary>Builds a model by its <see cref="ModelConfig.Name"/>: one ordered list of <see cref="ModelEntry"/>.</summary>
public static class ModelRegistry
{
    private const string Shallow = "linear and factorization machines";
    private const string Deep = "embeddings + DNN";
    private const string Cross = "cross networks";
    private const string Product = "product networks";
    private const string Interaction = "learned interactions";

    private const string CrossLayers = "`cross_layers` (L, default 3); math and shapes: [math/cross.md](math/cross.md)";
    private const string Attention = "`attention_layers` (L, default 3), `attention_heads` (K, 2), `attention_dim` (d' per head, 32) and "
        + "`attention_residual` (true): [math/autoint.md](math/autoint.md)";

    /// <summary>Every model, in the order the CLI lists them and <c>compare</c> trains them.</summary>
    public static IReadOnlyList<ModelEntry> Entries { get; } =
    [
        new("lr", "LR", Shallow, (c, l, w) => new LRModel(c, l, w),
            "w₀ + Σ_f w[id_f]·x_f", "—", Dnn: false),
        new("fm", "FM", Shallow, (c, l, w) => new FMModel(c, l, w),
            "LR + Σ_{i<j} ⟨x_i e_i, x_j e_j⟩", "Rendle 2010", Dnn: false),
        new("fwfm", "FwFM", Shallow, (c, l, w) => new FwFMModel(c, l, w),
            "w₀ + Σ_f ⟨e_f, v_f⟩ + Σ_{i<j} ⟨e_i, e_j⟩ r_{f_i f_j} (R symmetric, stored as the P = F(F−1)/2 pairs)",
            "Pan et al. 2018; DeepLight eq. 6", Dnn: false),
        new("deepfm", "DeepFM", Deep, (c, l, w) => new DeepFMModel(c, l, w),
            "LR + FM + DNN over the shared embeddings (DeepFM-D)", "Guo et al."),
        new("deepfwfm", "DeepFwFM", Deep, (c, l, w) => new DeepFwFMModel(c, l, w),
            "FwFM + DNN over the shared embeddings", "Deng et al. (DeepLight)"),
        new("nfm", "NFM", Deep, (c, l, w) => new NFMModel(c, l, w),
            "LR + DNN over the bi-interaction vector Σ_{i<j} x_i e_i ⊙ x_j e_j [D]", "He & Chua 2017"),
        new("dnn", "DNN", Deep, (c, l, w) => new DnnModel(c, l, w),
            "w₀ + DNN over the embeddings (the DeepFM paper's DNN baseline)", "Guo et al."),
        new("wdl", "Wide & Deep (LR & DNN)", Deep, (c, l, w) => new WideDeepModel(c, l, w),
            "LR + DNN over the embeddings (Wide & Deep in the DeepFM paper's \"LR & DNN\" form)", "Cheng et al. 2016"),
        new("dcn", "DCN", Cross, (c, l, w) => new DcnModel(c, l, w),
            "w₀ + x_L·w_x + DNN(x₀): a cross network x_{l+1} = x₀ (x_lᵀ w_l) + b_l + x_l beside the DNN, both over x₀ = the "
            + "flattened embeddings, joined by one linear unit over [x_L, h]", "Wang et al. 2017 (DCN)", CrossLayers, Options: new CrossOptions()),
        new("dcnv2", "DCNv2", Cross, (c, l, w) => new DcnV2Model(c, l, w),
            "as `dcn` with x_{l+1} = x₀ ⊙ (x_l W_l + b_l) + x_l (full rank); `cross_rank` r > 0 selects the low-rank mixture of "
            + "`cross_experts` experts", "Wang et al. 2021 (DCN V2)",
            CrossLayers + "; also `cross_rank` (default 0 = full rank) and `cross_experts` (default 4)", Options: new DcnV2Options()),
        new("gdcn", "GDCN", Cross, (c, l, w) => new GdcnModel(c, l, w),
            "as `dcn` with the gated layer c_{l+1} = c₀ ⊙ (c_l W_c + b) ⊙ σ(c_l W_g) + c_l (GDCN-P, parallel)",
            "Wang et al. 2023 (GDCN)", CrossLayers, Options: new CrossOptions()),
        new("ipnn", "IPNN", Product, (c, l, w) => new IpnnModel(c, l, w),
            "w₀ + DNN over [e ‖ ⟨e_i, e_j⟩ for the P pairs] (product layer, no FM/LR side)", "Qu et al. 2016; DeepFM paper §III"),
        new("opnn", "OPNN", Product, (c, l, w) => new OpnnModel(c, l, w),
            "w₀ + DNN over [e ‖ sᵀW_n s for H = P kernels], s = Σ_f e_f (outer products in superposition form)",
            "Qu et al. 2016; DeepFM paper §III"),
        new("pnn", "PNN*", Product, (c, l, w) => new PnnStarModel(c, l, w),
            "w₀ + DNN over [e ‖ inner products ‖ outer-product signals] (PNN*)", "Qu et al. 2016; DeepFM paper §III"),
        new("deepfm-ip", "DeepFM-IP", Product, (c, l, w) => new DeepFMIpModel(c, l, w),
            "LR + FM + the `ipnn` product DNN over the shared embeddings", "Guo et al. §III.A.4"),
        new("deepfm-op", "DeepFM-OP", Product, (c, l, w) => new DeepFMOpModel(c, l, w),
            "LR + FM + the `opnn` product DNN over the shared embeddings", "Guo et al. §III.A.4"),
        new("deepfm-p", "DeepFM-*P", Product, (c, l, w) => new DeepFMPnnStarModel(c, l, w),
            "LR + FM + the `pnn` product DNN over the shared embeddings", "Guo et al. §III.A.4"),
        new("xdeepfm", "xDeepFM", Interaction, (c, l, w) => new XDeepFMModel(c, l, w),
            "LR + p⁺·w_cin + DNN over the shared embeddings, p⁺ the sum-pooled Compressed Interaction Network "
            + "X^k = W^kᵀ(X^{k−1} ∘ X^0) + b^k", "Lian et al. 2018 (xDeepFM)",
            "`cin_layers` (H_1..H_K, default `[100, 100, 50]` as in the paper) and `cin_split_half` (default true, the authors' "
            + "code: each layer but the last feeds half its rows on and pools the other half); model files written before these "
            + "keys existed load with the defaults. The compiled plan runs each CIN layer as one packed GEMM over groups of "
            + "samples' embedding positions. Math: [math/cin.md](math/cin.md); its filters are DeepLight component C "
            + "(`--sparsity \"D-90% & C-50%\"`, flag `cin=0.5`)", Options: new XDeepFMOptions()),
        new("fibinet", "FiBiNet", Interaction, (c, l, w) => new FiBiNetModel(c, l, w),
            "LR + DNN over [p ‖ q]: SENET re-weights the embeddings E into V, p = bilinear(E) and q = bilinear(V) with "
            + "p_ij = (e_i·W) ⊙ e_j (two layers, own weights)", "Huang et al. 2019 (FiBiNET)",
            "`bilinear_type` (`field_all`: one W, `field_each`: one W_i per field, `field_interaction`: one W_ij per pair, the "
            + "default as in DeepCTR and FuxiCTR) and `senet_reduction` (r, default 3 as in DeepCTR and FuxiCTR; R = max(1, F / r)). "
            + "Its DNN input is 2·P·D wide (14,820 for Criteo's 39 fields at D = 10), so the first DNN layer dominates its cost. "
            + "Math and lowering: [math/fibinet.md](math/fibinet.md)", Options: new FiBiNetOptions()),
        new("ffm", "FFM", Shallow, (c, l, w) => new FFMModel(c, l, w),
            "LR + Σ_{i<j} ⟨v_{i,f_j}, v_{j,f_i}⟩ x_i x_j: each feature keeps one D-wide vector per field (table `ffm.embedding` "
            + "[V, F·D], F times an FM's: use a small D)", "Juan et al. 2016 (FFM)", Dnn: false),
        new("fnn", "FNN", Deep, (c, l, w) => new FnnModel(c, l, w),
            "w₀ + DNN over z_i = x_i·(w_i, e_i) per field (D + 1 wide), on an FM's `first_order` and `embedding` tables",
            "Zhang et al. 2016 (FNN); DeepFM paper §III.C.1",
            "`train` pre-trains an FM first for the training section's `fm_pretrain_epochs` (default 1, `--fm-pretrain-epochs`) "
            + "and starts the FNN from its tables"),
        new("wdl-fm", "Wide & Deep (FM & DNN)", Deep, (c, l, w) => new WideDeepFMModel(c, l, w),
            "FM over its own table `wide.embedding` + DNN over a separate `embedding` (Wide & Deep in the DeepFM paper's "
            + "\"FM & DNN\" form; DeepFM shares one table)", "Cheng et al. 2016; DeepFM paper §IV.A.3"),
        new("autoint", "AutoInt", Interaction, (c, l, w) => new AutoIntModel(c, l, deep: false, w),
            "w₀ + vec(e^(L))·w: L interacting layers e^(l+1) = ReLU(multi-head self-attention over fields + e^(l)·W_res), "
            + "no first-order term", "Song et al. 2019 (AutoInt)", Attention, Options: new AutoIntOptions(), Dnn: false),
        new("autoint+", "AutoInt+", Interaction, (c, l, w) => new AutoIntModel(c, l, deep: true, w),
            "`autoint` + DNN over the flattened embeddings, logits summed", "Song et al. 2019 (AutoInt+)", Attention, Options: new AutoIntOptions()),
        new("finalmlp", "FinalMLP", Interaction, (c, l, w) => new FinalMlpModel(c, l, w),
            "w₀ + o₁·w_x + o₂·w_y + Σ_h o₁ₕᵀ W_h o₂ₕ: two MLP streams over the embeddings, each behind a learned feature-selection "
            + "gate 2σ(MLP(c)), joined by multi-head bilinear fusion", "Mao et al. 2023 (FinalMLP)",
            "the core's `hidden_units`, `activation` and `dropout` are the first stream's (activation and dropout also the second's); "
            + "`mlp2_hidden_units` (default [800]), `fs_hidden_units` (the gates' MLP, [800]) and `num_heads` (fusion heads, 1, dividing "
            + "both streams' last width): [math/finalmlp.md](math/finalmlp.md)", Options: new FinalMlpOptions()),
    ];

    /// <summary>Registered names in a stable order: <see cref="Entries"/>' names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Select(e => e.Name)];

    /// <summary>The entry called <paramref name="name"/>, or null.</summary>
    public static ModelEntry? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);

    /// <summary>The defaults of <paramref name="name"/>'s own settings (none for an unknown name, which fails when built).</summary>
    public static ModelOptions DefaultOptions(string name) => Find(name)?.Options ?? ModelOptions.None;

    /// <summary>Whether <paramref name="options"/> are settings of model <paramref name="name"/>.</summary>
    public static bool TakesOptions(string name, ModelOptions options) => DefaultOptions(name).GetType() == options.GetType();

    /// <summary>Whether model <paramref name="name"/> has a DNN (unknown names: true, so nothing is hidden).</summary>
    public static bool HasDnn(string name) => Find(name)?.Dnn ?? true;

    /// <summary>A new model, its weights initialised from the config's seed; call <see cref="CtrModel.PrepareTraining"/> to train it.</summary>
    public static CtrModel Create(ModelConfig config, FeatureLayout layout) => Build(config, layout, null);

    private static CtrModel Build(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layout);
        ModelEntry entry = Find(config.Name) ?? throw new ArgumentException(
            $"unknown model '{config.Name}'; known models: {string.Join(", ", Names)}.", nameof(config));

        config.Validate();
        return ModelTooLargeException.Guard(() => entry.Create(config, layout, weights), () =>
            $"{config.Name} with embedding_dim {config.EmbeddingDim} and hidden_units [{string.Join(", ", config.HiddenUnits)}] over "
            + $"{layout.TotalRows:N0} table rows");
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
