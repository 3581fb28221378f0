using Clickwise.Features;
using Clickwise.Kernels;

namespace Clickwise.Models;

/// <summary>
/// Which fields of the shared embedding are tensor trains (<see cref="ModelConfig.EmbeddingTtRank"/>): the
/// <see cref="ModelConfig.EmbeddingTtFields"/> largest by vocabulary (ties to the earlier field), each with its automatic
/// <see cref="TensorTrainShape"/>. Their rows leave the table: it keeps the other fields' rows in field order, then one
/// placeholder row that a train field's lookups gather before the train's row overwrites them, so the table's gather
/// and scatter stay one pass over all B·F slots. The placeholder is zero and gets zero gradients (the part clears the
/// train slots' gradient after the cores' backward), so it stays zero under any optimizer and L2.
/// </summary>
public sealed class TensorTrainFields
{
    private readonly TensorTrainShape?[] _shapes;
    private readonly int[] _tableFirstRows;
    private readonly FeatureLayout _layout;

    public TensorTrainFields(FeatureLayout layout, int dim, int rank, int fieldCount)
    {
        if (fieldCount < 1 || fieldCount > layout.FieldCount)
        {
            throw new ArgumentException($"embedding_tt_fields is {fieldCount}; the data has {layout.FieldCount} fields.");
        }

        _layout = layout;
        Fields = [.. Enumerable.Range(0, layout.FieldCount).OrderByDescending(f => layout.Sizes[f]).ThenBy(f => f).Take(fieldCount).Order()];
        _shapes = new TensorTrainShape?[layout.FieldCount];
        _tableFirstRows = new int[layout.FieldCount];
        int rows = 0;
        for (int f = 0; f < layout.FieldCount; f++)
        {
            _tableFirstRows[f] = rows;
            if (Fields.Contains(f))
            {
                _shapes[f] = TensorTrainShape.For(layout.Sizes[f], dim, rank);
            }
            else
            {
                rows += layout.Sizes[f];
            }
        }

        TableRows = rows + 1;
    }

    /// <summary>The train fields in field order.</summary>
    public int[] Fields { get; }

    /// <summary>Every field's global rows, trains included.</summary>
    public FeatureLayout Layout => _layout;

    /// <summary>Rows of the remaining table: the other fields' rows and the placeholder.</summary>
    public int TableRows { get; }

    public int PlaceholderRow => TableRows - 1;

    /// <summary>The first global row id of <paramref name="field"/> (a train row is the id minus it).</summary>
    public int FirstRow(int field) => _layout.Offsets[field];

    public bool IsTrain(int field) => _shapes[field] is not null;

    /// <summary>The shape of a train field's cores.</summary>
    public TensorTrainShape Shape(int field) =>
        _shapes[field] ?? throw new ArgumentOutOfRangeException(nameof(field), field, "not a tensor-train field");

    public int ForwardScratchLength => Fields.Max(f => Shape(f).ForwardScratchLength);

    public int BackwardScratchLength => Fields.Max(f => Shape(f).BackwardScratchLength);

    /// <summary>The table row of each of the B·F lookups in <paramref name="ids"/> (global row ids): the placeholder for train fields.</summary>
    public void MapRows(ReadOnlySpan<int> ids, Span<int> rows)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            rows[i] = TableRow(i % _layout.FieldCount, ids[i]);
        }
    }

    /// <summary>The table row of every extra feature of <paramref name="extras"/> (lookups counted from a batch's first slot), indexed like its entries.</summary>
    public void MapExtraRows(ExtraLookups extras, Span<int> rows)
    {
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                rows[e] = TableRow(n % _layout.FieldCount, extras.Ids[e]);
            }
        }
    }

    /// <summary>Where global row <paramref name="id"/> of <paramref name="field"/> sits in the remaining table.</summary>
    public int TableRow(int field, int id) => _shapes[field] is null ? id - _layout.Offsets[field] + _tableFirstRows[field] : PlaceholderRow;

    /// <summary>The remaining table from a full [V, D] one: the other fields' rows, then a zero placeholder.</summary>
    public float[] TableFrom(ReadOnlySpan<float> table, int dim)
    {
        var rows = new float[checked(TableRows * dim)];
        for (int f = 0; f < _layout.FieldCount; f++)
        {
            if (_shapes[f] is null)
            {
                table.Slice(_layout.Offsets[f] * dim, _layout.Sizes[f] * dim).CopyTo(rows.AsSpan(_tableFirstRows[f] * dim));
            }
        }

        return rows;
    }

    /// <summary>The parameter name of a train field's cores under table <paramref name="tableName"/>.</summary>
    public static string CoresName(string tableName, int field) => $"{tableName}.tt.{field}";
}
