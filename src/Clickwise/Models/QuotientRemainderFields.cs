using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// Which fields of the shared embedding are quotient-remainder fields (<see cref="ModelConfig.EmbeddingQrCollisions"/>,
/// <see cref="QuotientRemainder"/>): the <see cref="ModelConfig.EmbeddingQrFields"/> largest by vocabulary (ties to the
/// earlier field). Field f with V_f rows and m_f = min(m, V_f) collisions keeps ⌈V_f / m_f⌉ quotient rows and then m_f
/// remainder rows in the table, in place of its V_f rows; the other fields keep theirs, in field order. A lookup's slot
/// gathers its quotient row, so the table's gather and scatter stay one pass over all B·F slots, and the remainder rows
/// are joined in (and scattered) per lookup.
/// </summary>
public sealed class QuotientRemainderFields
{
    private readonly int[] _collisions;
    private readonly int[] _tableFirstRows;

    public QuotientRemainderFields(FeatureLayout layout, int collisions, int fieldCount, QrOperation operation)
    {
        if (collisions < 2 || fieldCount < 1 || fieldCount > layout.FieldCount)
        {
            throw new ArgumentException(
                $"embedding_qr_collisions is {collisions} and embedding_qr_fields {fieldCount}; collisions take 2 or more, fields 1..{layout.FieldCount}.");
        }

        Layout = layout;
        Operation = operation;
        Fields = [.. Enumerable.Range(0, layout.FieldCount).OrderByDescending(f => layout.Sizes[f]).ThenBy(f => f).Take(fieldCount).Order()];
        _collisions = new int[layout.FieldCount];
        _tableFirstRows = new int[layout.FieldCount];
        int rows = 0;
        for (int f = 0; f < layout.FieldCount; f++)
        {
            _tableFirstRows[f] = rows;
            _collisions[f] = Fields.Contains(f) ? Math.Min(collisions, layout.Sizes[f]) : 0;
            rows += _collisions[f] == 0 ? layout.Sizes[f] : QuotientRows(f) + _collisions[f];
        }

        TableRows = rows;
    }

    /// <summary>The quotient-remainder fields a config asks for; null when it asks for none.</summary>
    public static QuotientRemainderFields? Of(ModelConfig config, FeatureLayout layout) => config.EmbeddingQrCollisions > 0
        ? new QuotientRemainderFields(layout, config.EmbeddingQrCollisions, config.EmbeddingQrFields, config.EmbeddingQrOperation)
        : null;

    /// <summary>
    /// The collisions m, and how many of the largest fields to make compositional, whose table is nearest
    /// <paramref name="rows"/> rows (a size-matched baseline): at each m every field whose rows it shrinks
    /// (⌈V_f / m⌉ + m &lt; V_f, which holds for the largest fields first) is compositional. Null when no m shrinks any field.
    /// </summary>
    public static (int Collisions, int Fields)? SizeMatched(FeatureLayout layout, long rows)
    {
        (int Collisions, int Fields)? best = null;
        long bestGap = long.MaxValue;
        for (int m = 2; ; m++)
        {
            int fields = ShrunkFields(layout, m);
            long tableRows = layout.Sizes.Sum(size => Math.Min((long)Rows(size, m), size));
            if (fields == 0)
            {
                return best;
            }

            if (Math.Abs(tableRows - rows) < bestGap)
            {
                (best, bestGap) = ((m, fields), Math.Abs(tableRows - rows));
            }
        }
    }

    /// <summary>How many fields m collisions would shrink (⌈V_f / m⌉ + m &lt; V_f): the largest ones.</summary>
    public static int ShrunkFields(FeatureLayout layout, int collisions) => layout.Sizes.Count(size => Rows(size, collisions) < size);

    /// <summary>⌈V / m⌉ + m, the rows of a compositional field of <paramref name="size"/> rows.</summary>
    private static int Rows(int size, int collisions) => (size + collisions - 1) / collisions + collisions;

    /// <summary>The quotient-remainder fields in field order.</summary>
    public int[] Fields { get; }

    /// <summary>Every field's global rows, as the ids count them.</summary>
    public FeatureLayout Layout { get; }

    public QrOperation Operation { get; }

    /// <summary>Rows of the table: the other fields' rows and each quotient-remainder field's quotient and remainder rows.</summary>
    public int TableRows { get; }

    /// <summary>m_f, the remainder rows of a quotient-remainder field.</summary>
    public int Collisions(int field) => _collisions[field];

    /// <summary>⌈V_f / m_f⌉, the quotient rows of a quotient-remainder field.</summary>
    public int QuotientRows(int field) => (Layout.Sizes[field] + _collisions[field] - 1) / _collisions[field];

    /// <summary>The table row a lookup of global row <paramref name="id"/> in <paramref name="field"/> gathers: its own, or its quotient row.</summary>
    public int TableRow(int field, int id)
    {
        int local = id - Layout.Offsets[field];
        return _tableFirstRows[field] + (_collisions[field] == 0 ? local : local / _collisions[field]);
    }

    /// <summary>The remainder row of global row <paramref name="id"/> of a quotient-remainder field.</summary>
    public int RemainderRow(int field, int id) =>
        _tableFirstRows[field] + QuotientRows(field) + (id - Layout.Offsets[field]) % _collisions[field];

    /// <summary>The table row each of the B·F lookups in <paramref name="ids"/> gathers.</summary>
    public void MapRows(ReadOnlySpan<int> ids, Span<int> rows)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            rows[i] = TableRow(i % Layout.FieldCount, ids[i]);
        }
    }

    /// <summary>The remainder rows of a batch's quotient-remainder lookups, [B, Q] in <see cref="Fields"/> order.</summary>
    public void MapRemainderRows(ReadOnlySpan<int> ids, int batchSize, Span<int> rows)
    {
        for (int b = 0, i = 0; b < batchSize; b++)
        {
            foreach (int f in Fields)
            {
                rows[i++] = RemainderRow(f, ids[b * Layout.FieldCount + f]);
            }
        }
    }

    /// <summary>Joins the remainder rows into <paramref name="output"/> [B, F, D], whose quotient-remainder slots hold x·Q[q] from the table's gather.</summary>
    /// <param name="values">[B, F] feature values; empty: all 1.</param>
    public void Forward(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, Span<float> output)
    {
        for (int b = 0; b < batchSize; b++)
        {
            foreach (int f in Fields)
            {
                int slot = b * Layout.FieldCount + f;
                QuotientRemainder.Forward(table.Slice(RemainderRow(f, ids[slot]) * dim, dim), values.IsEmpty ? 1f : values[slot], Operation,
                    output.Slice(slot * dim, dim));
            }
        }
    }

    /// <summary>
    /// Rewrites the quotient-remainder slots of <paramref name="dOutput"/> [B, F, D] into their quotient rows' gradient (before the
    /// table's scatter) and writes the remainder rows' gradients, [B, Q, D] in the order of <see cref="MapRemainderRows"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize,
                         Span<float> dOutput, Span<float> dRemainder)
    {
        for (int b = 0, i = 0; b < batchSize; b++)
        {
            foreach (int f in Fields)
            {
                int slot = b * Layout.FieldCount + f, id = ids[slot];
                QuotientRemainder.Backward(table.Slice(TableRow(f, id) * dim, dim), table.Slice(RemainderRow(f, id) * dim, dim),
                    values.IsEmpty ? 1f : values[slot], Operation, dOutput.Slice(slot * dim, dim), dRemainder.Slice(i++ * dim, dim));
            }
        }
    }

    /// <summary>The full [V, D] table the compact one stands for (FNN's joined serving table, ONNX export): e of every feature at x = 1.</summary>
    public float[] Expand(ReadOnlySpan<float> table, int dim)
    {
        var full = new float[checked((long)Layout.TotalRows * dim)];
        for (int f = 0; f < Layout.FieldCount; f++)
        {
            for (int id = Layout.Offsets[f]; id < Layout.Offsets[f] + Layout.Sizes[f]; id++)
            {
                Span<float> row = full.AsSpan(id * dim, dim);
                table.Slice(TableRow(f, id) * dim, dim).CopyTo(row);
                if (_collisions[f] > 0)
                {
                    QuotientRemainder.Forward(table.Slice(RemainderRow(f, id) * dim, dim), 1f, Operation, row);
                }
            }
        }

        return full;
    }

    /// <summary>A quotient-remainder field's two tables, for inspection.</summary>
    public string Describe(int field, int dim) =>
        $"quotient {QuotientRows(field)}×{dim} ⊕ remainder {_collisions[field]}×{dim} ({Operation.ToString().ToLowerInvariant()})";
}
