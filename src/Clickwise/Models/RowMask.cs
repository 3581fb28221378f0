using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// Which rows of the shared table survive OptEmbed's thresholds (seed 004), as the evaluation forward and the compiled plan
/// read them: ‖v‖₁ &gt; t of the row's field (or of the row itself), and in OOV mode each field's OOV row, which stands in
/// for the pruned ones. Sparsity is the paper's, 1 − Σ_f kept_f·D / (V·D), over the full table.
/// </summary>
public sealed class RowMask
{
    private readonly float[] _table;
    private readonly float[] _thresholds;
    private readonly bool _perFeature;
    private readonly PrunedRows _pruned;
    private readonly int _dim;

    public RowMask(FeatureLayout layout, int dim, float[] table, float[] thresholds, RowThreshold scope, PrunedRows pruned)
    {
        ArgumentOutOfRangeException.ThrowIfEqual((int)scope, (int)RowThreshold.None);
        Layout = layout;
        _dim = dim;
        _table = table;
        _thresholds = thresholds;
        _perFeature = scope == RowThreshold.Feature;
        _pruned = pruned;
    }

    /// <summary>The mask of a model's shared table from its tensors (<c>embedding</c>, <c>embedding.threshold</c>); null without thresholds.</summary>
    public static RowMask? Of(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]> tensors) =>
        config.EmbeddingThreshold == RowThreshold.None
            ? null
            : new RowMask(layout, config.EmbeddingDim, tensors[EmbeddingPart.DefaultName], tensors[$"{EmbeddingPart.DefaultName}.threshold"],
                config.EmbeddingThreshold, config.EmbeddingPrunedRows);

    public FeatureLayout Layout { get; }

    public bool Keeps(int row, int field) =>
        (_pruned == PrunedRows.Oov && row == OovRow(field))
        || EmbeddingRowMask.Keeps(_table, row, _dim, _thresholds[_perFeature ? row : field]);

    public int OovRow(int field) => Layout.Offsets[field] + FeatureMap.OovId;

    /// <summary>Per field, how many of its rows are kept.</summary>
    public int[] KeptRowsPerField() =>
        [.. Enumerable.Range(0, Layout.FieldCount).Select(f => Enumerable.Range(Layout.Offsets[f], Layout.Sizes[f]).Count(r => Keeps(r, f)))];

    /// <summary>1 − kept rows / all rows: the share of the table's parameters the row mask removes.</summary>
    public double Sparsity => 1 - (KeptRowsPerField().Sum() / (double)Layout.TotalRows);
}
