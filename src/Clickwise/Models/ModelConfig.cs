using System.Text.Json.Serialization;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The architecture of a model, serialised into model files: a common core every model reads (name, embedding dim,
/// seed, initialisation; the DNN's hidden units, activation and dropout for the models that have one) and the
/// <see cref="Options"/> record of the model itself. Training settings (optimizer, epochs, batch size) live in the
/// training config: a model file must be loadable without them. In JSON the two are one flat object of snake_case
/// keys (<see cref="ModelConfigJson"/>), whose <c>name</c> decides which keys exist.
/// </summary>
[JsonConverter(typeof(ModelConfigJson))]
public sealed record ModelConfig
{
    private readonly string _name = "deepfwfm";
    private readonly ModelOptions? _options;

    /// <summary>The registry name (<see cref="ModelRegistry.Names"/>). Renaming keeps <see cref="Options"/> only if the new model takes them.</summary>
    public string Name
    {
        get => _name;
        init
        {
            _name = value;
            if (_options is not null && !ModelRegistry.TakesOptions(value, _options))
            {
                _options = null;
            }
        }
    }

    /// <summary>D, the embedding width of every field (FFM: of each of a feature's F field-aware vectors; FNN's per-field input is D + 1).</summary>
    public int EmbeddingDim { get; init; } = 10;

    /// <summary>
    /// AFM's compressed embeddings (seed 002): k-wide table rows projected per field to <see cref="EmbeddingDim"/>;
    /// 0 (the default, not written to files): the table is D wide.
    /// </summary>
    public int EmbeddingRank { get; init; }

    /// <summary>
    /// The inner rank r of tensor-train embeddings (seed 002's TTD baseline, <see cref="TensorTrainFields"/>): the
    /// <see cref="EmbeddingTtFields"/> largest fields' rows become three cores each; 0 (the default, not written to files):
    /// no train.
    /// </summary>
    public int EmbeddingTtRank { get; init; }

    /// <summary>How many of the largest fields become tensor trains when <see cref="EmbeddingTtRank"/> is set (default 2, the paper's two).</summary>
    public int EmbeddingTtFields { get; init; } = 2;

    /// <summary>
    /// m of quotient-remainder embeddings (Shi et al., KDD'20, <see cref="QuotientRemainderFields"/>): the
    /// <see cref="EmbeddingQrFields"/> largest fields' rows become ⌈V_f / m⌉ quotient and m remainder rows, joined by
    /// <see cref="EmbeddingQrOperation"/>; 0 (the default, not written to files): none.
    /// </summary>
    public int EmbeddingQrCollisions { get; init; }

    /// <summary>How many of the largest fields become quotient-remainder fields when <see cref="EmbeddingQrCollisions"/> is set (default 1).</summary>
    public int EmbeddingQrFields { get; init; } = 1;

    /// <summary>How a quotient-remainder field joins its two rows: product (the default) or sum.</summary>
    public QrOperation EmbeddingQrOperation { get; init; }

    /// <summary>
    /// OptEmbed's row mask on the shared table (seed 004, <see cref="Layers.EmbeddingRowMask"/>): learnable thresholds per
    /// field or per feature row; <see cref="RowThreshold.None"/> (the default, not written to files): no mask.
    /// </summary>
    public RowThreshold EmbeddingThreshold { get; init; }

    /// <summary>What a pruned row reads as when <see cref="EmbeddingThreshold"/> is set: zeros (the default) or its field's OOV row.</summary>
    public PrunedRows EmbeddingPrunedRows { get; init; }

    /// <summary>
    /// OptEmbed's supernet training: every training lookup keeps only the first k ~ U{1..D} dimensions, drawn per sample
    /// and field from (seed, step) like dropout. Evaluation and serving read whole rows. Off (the default) is not written.
    /// </summary>
    public bool EmbeddingDimSampling { get; init; }

    /// <summary>
    /// OptEmbed's per-field widths D_f ≤ D (seed 004, the evolutionary search's answer): field f's lookups keep their first
    /// D_f dimensions, in training and serving; empty (the default, not written to files): every field is D wide.
    /// </summary>
    public int[] EmbeddingFieldDims { get; init; } = [];

    /// <summary>
    /// OptEmbed's retraining: the shared table's row mask is fixed, stored in <c>embedding.kept</c> [V] (1 kept, 0 pruned; all
    /// kept unless loaded), with no thresholds; off (the default, not written to files): no fixed mask.
    /// </summary>
    public bool EmbeddingKeptRows { get; init; }

    /// <summary>H per hidden layer of the DNN, for the models that have one.</summary>
    public int[] HiddenUnits { get; init; } = [400, 400, 400];

    /// <summary>The DNN's hidden-layer activation, relu or tanh (the DeepFM paper's Table III); files written before it existed load as relu.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>
    /// Per hidden layer of the DNN, the rank of its low-rank form (AFM/SVD compression, <see cref="Layers.LowRankFactors"/>;
    /// 0 keeps a layer dense); empty: every layer dense. Written to files only when set.
    /// </summary>
    public int[] MlpRanks { get; init; } = [];

    /// <summary>Whether low-rank DNN layers apply a ReLU between their factors (AFM's default).</summary>
    public bool MlpInnerRelu { get; init; } = true;

    /// <summary>Dropout rate applied after every hidden layer of the DNN while training (0 disables).</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>Standard deviation of the normal initialisation of embeddings.</summary>
    public float InitStd { get; init; } = 0.01f;

    /// <summary>Seeds initialisation and dropout masks.</summary>
    public int Seed { get; init; } = 2019;

    /// <summary>The model's own settings: the registered defaults of <see cref="Name"/> unless set.</summary>
    public ModelOptions Options
    {
        get => _options ?? ModelRegistry.DefaultOptions(Name);
        init => _options = value;
    }

    /// <summary>The options as the model's own record type; a model asks for its own, so a mismatch is a bug.</summary>
    public T OptionsOf<T>()
        where T : ModelOptions =>
        Options as T ?? throw new InvalidOperationException($"model '{Name}' was given {Options.GetType().Name}, not {typeof(T).Name}");

    /// <summary>The config keys the model reads: the core's (the DNN's only when it has one), then its own settings'.</summary>
    public IReadOnlyList<string> SettingKeys => ModelConfigJson.Keys(this);

    /// <summary>Whether any of OptEmbed's settings acts on the shared table (thresholds, sampled widths or per-field widths).</summary>
    public bool HasEmbeddingMask =>
        EmbeddingThreshold != RowThreshold.None || EmbeddingKeptRows || EmbeddingDimSampling || EmbeddingFieldDims.Length > 0;

    /// <summary>Whether the model has the DNN the core's hidden units, activation and dropout describe.</summary>
    public bool HasDnn => ModelRegistry.HasDnn(Name);

    /// <summary>Rejects settings no model could build with (<see cref="ArgumentException"/> in config-key terms), core and options.</summary>
    public void Validate()
    {
        if (EmbeddingDim < 1)
        {
            throw new ArgumentException($"embedding_dim must be at least 1, got {EmbeddingDim}.");
        }

        if (HasDnn && HiddenUnits.Any(h => h < 1))
        {
            throw new ArgumentException($"every hidden layer needs at least one unit, got hidden_units [{string.Join(", ", HiddenUnits)}].");
        }

        if (EmbeddingRank < 0 || EmbeddingRank > EmbeddingDim)
        {
            throw new ArgumentException($"embedding_rank is {EmbeddingRank}; it takes 0 (no compression) to embedding_dim ({EmbeddingDim}).");
        }

        if (EmbeddingTtRank < 0 || EmbeddingTtFields < 1)
        {
            throw new ArgumentException(
                $"embedding_tt_rank is {EmbeddingTtRank} and embedding_tt_fields {EmbeddingTtFields}; the rank takes 0 (no train) or more, the fields 1 or more.");
        }

        if (EmbeddingTtRank > 0 && EmbeddingRank > 0)
        {
            throw new ArgumentException("embedding_tt_rank and embedding_rank both replace the shared table's rows; set one of them.");
        }

        if (EmbeddingQrCollisions is < 0 or 1 || EmbeddingQrFields < 1)
        {
            throw new ArgumentException(
                $"embedding_qr_collisions is {EmbeddingQrCollisions} and embedding_qr_fields {EmbeddingQrFields}; collisions take 0 (none) or 2 or more, the fields 1 or more.");
        }

        if (EmbeddingQrCollisions > 0 && (EmbeddingRank > 0 || EmbeddingTtRank > 0 || HasEmbeddingMask))
        {
            throw new ArgumentException(
                $"embedding_qr_collisions replaces the shared table's rows, which {(EmbeddingRank > 0 ? "embedding_rank" : EmbeddingTtRank > 0 ? "embedding_tt_rank" : "OptEmbed's row mask and widths")} "
                + "also act on; set one of them.");
        }

        if (HasEmbeddingMask && (EmbeddingRank > 0 || EmbeddingTtRank > 0))
        {
            throw new ArgumentException(
                "embedding_threshold, embedding_dim_sampling and embedding_field_dims act on the shared table's D-wide rows; "
                + $"{(EmbeddingRank > 0 ? "embedding_rank" : "embedding_tt_rank")} replaces them.");
        }

        if (EmbeddingKeptRows && EmbeddingThreshold != RowThreshold.None)
        {
            throw new ArgumentException("embedding_kept_rows fixes the row mask that embedding_threshold learns; set one of them.");
        }

        if (EmbeddingFieldDims.Any(d => d < 1 || d > EmbeddingDim))
        {
            throw new ArgumentException($"embedding_field_dims [{string.Join(", ", EmbeddingFieldDims)}]: every width takes 1..embedding_dim ({EmbeddingDim}).");
        }

        if (MlpRanks.Length > 0 && (!HasDnn || MlpRanks.Length != HiddenUnits.Length))
        {
            throw new ArgumentException(HasDnn
                ? $"mlp_ranks gives {MlpRanks.Length} ranks for {HiddenUnits.Length} hidden layers: one per layer (0 keeps it dense)."
                : $"mlp_ranks needs a model with a DNN; {Name} has none.");
        }

        for (int l = 0; l < MlpRanks.Length; l++)
        {
            int limit = HiddenUnits[l]; // up to the output width: AFM at full rank is exact
            if (MlpRanks[l] < 0 || MlpRanks[l] > limit)
            {
                throw new ArgumentException($"mlp_ranks[{l}] is {MlpRanks[l]}; layer {l} takes a rank in 0..{limit}.");
            }
        }

        if (HasDnn && !(Dropout >= 0f && Dropout < 1f)) // NaN too
        {
            throw new ArgumentException($"dropout is a rate in [0, 1), got {Dropout}.");
        }

        Options.Validate();
    }

    /// <summary>
    /// This config with one setting changed, by its config key (<c>--set cross_layers=2</c>): the value is read as the
    /// key's JSON type (numbers, true/false, names; lists as <c>400,400</c> or <c>[400, 400]</c>). An unknown key or a value
    /// of the wrong kind is an <see cref="ArgumentException"/> naming the key and what it takes.
    /// </summary>
    public ModelConfig With(string key, string value) => With([(key, value)]);

    /// <summary>This config with several settings changed at once (validated together, so a pair that only holds jointly, like
    /// odd <c>cin_layers</c> with <c>cin_split_half=false</c>, is accepted in any order).</summary>
    public ModelConfig With(IEnumerable<(string Key, string Value)> settings) => ModelConfigJson.With(this, settings);

    /// <summary>The settings the model has, as "key value" phrases (the DNN's only when it has one).</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"embedding_dim {EmbeddingDim}";
        if (EmbeddingRank > 0)
        {
            yield return $"embedding_rank {EmbeddingRank}";
        }

        if (EmbeddingTtRank > 0)
        {
            yield return $"embedding_tt_rank {EmbeddingTtRank}";
            yield return $"embedding_tt_fields {EmbeddingTtFields}";
        }

        if (EmbeddingQrCollisions > 0)
        {
            yield return $"embedding_qr_collisions {EmbeddingQrCollisions}";
            yield return $"embedding_qr_fields {EmbeddingQrFields}";
            yield return $"embedding_qr_op {ModelConfigJson.EnumName(EmbeddingQrOperation)}";
        }

        if (EmbeddingThreshold != RowThreshold.None)
        {
            yield return $"embedding_threshold {ModelConfigJson.EnumName(EmbeddingThreshold)}";
        }

        if (EmbeddingKeptRows)
        {
            yield return "embedding_kept_rows true";
        }

        if (EmbeddingThreshold != RowThreshold.None || EmbeddingKeptRows)
        {
            yield return $"embedding_pruned_rows {ModelConfigJson.EnumName(EmbeddingPrunedRows)}";
        }

        if (EmbeddingDimSampling)
        {
            yield return "embedding_dim_sampling true";
        }

        if (EmbeddingFieldDims.Length > 0)
        {
            yield return $"embedding_field_dims [{string.Join(", ", EmbeddingFieldDims)}]";
        }

        if (HasDnn)
        {
            yield return $"hidden_units [{string.Join(", ", HiddenUnits)}]";
            yield return $"activation {ModelConfigJson.EnumName(Activation)}";
            yield return $"dropout {Dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (MlpRanks.Length > 0)
            {
                yield return $"mlp_ranks [{string.Join(", ", MlpRanks)}]";
                yield return $"mlp_inner_relu {(MlpInnerRelu ? "true" : "false")}";
            }
        }

        foreach (string setting in Options.Describe())
        {
            yield return setting;
        }
    }
}
