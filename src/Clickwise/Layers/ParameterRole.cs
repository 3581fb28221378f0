namespace Clickwise.Layers;

/// <summary>
/// What a parameter is for. Optimizers use it to pick the L2 coefficient (embedding vs network), and
/// compression uses it to find its components (DeepLight's D = <see cref="DenseWeight"/>, R = <see cref="FieldMatrix"/>,
/// F = <see cref="Embedding"/>, C = <see cref="CinFilter"/>).
/// </summary>
public enum ParameterRole
{
    /// <summary>Embedding table rows [V, D], updated row-sparsely.</summary>
    Embedding,

    /// <summary>First-order weights per feature row [V] (LR term), updated row-sparsely.</summary>
    FirstOrder,

    /// <summary>Weights of a fully connected layer, stored [in, out].</summary>
    DenseWeight,

    /// <summary>Bias vectors and the global bias.</summary>
    Bias,

    /// <summary>FwFM field-pair matrix R (field × field, symmetric in use).</summary>
    FieldMatrix,

    /// <summary>FwFM linear-term vectors v_f [F, D].</summary>
    FieldLinear,

    /// <summary>xDeepFM's CIN filters W^k [H_{k−1}·F, H_k] (its biases are <see cref="Bias"/>).</summary>
    CinFilter,

    /// <summary>
    /// AFM's per-field projections of compressed embeddings W [F, k, D] (seed 002, eq. 11): trained like network weights, never
    /// pruned — F·k·D values, the only way from a field's k-wide rows to its D-wide embedding, and folded into the first DNN layer at plan time.
    /// </summary>
    EmbeddingProjection,

    /// <summary>
    /// The three cores of a tensor-train embedding field, one flat tensor per field: dense (a batch's rows touch
    /// slices all over the cores), decayed with the embedding L2 since they stand for the field's table rows.
    /// </summary>
    TensorTrainCore,

    /// <summary>
    /// OptEmbed's learnable row thresholds (per field or per feature row): not decayed, stepped by plain SGD on their
    /// own learning rate with the penalty α·Σ exp(−t) whatever the optimizer of the rest (seed 004, the reference code's
    /// separate threshold optimizer).
    /// </summary>
    Threshold,

    /// <summary>
    /// OptEmbed's fixed row mask m_e* of retraining [V] (1 kept, 0 pruned), found by the supernet's thresholds: a constant
    /// of the model, never stepped or decayed.
    /// </summary>
    RowMask,
}
