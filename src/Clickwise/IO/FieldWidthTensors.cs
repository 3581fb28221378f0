using Clickwise.Features;
using Clickwise.Models;

namespace Clickwise.IO;

/// <summary>
/// How a model file stores an OptEmbed model whose row mask is fixed (<c>embedding_kept_rows</c>) or whose fields have
/// searched widths (<c>embedding_field_dims</c>), without learnable thresholds: the shared table as
/// <see cref="FieldWidthTable"/>, so the file's bytes are the compact model's. <c>embedding</c> becomes f32 [Σ_f kept_f·D_f]
/// (the kept rows at their widths) and <c>embedding.kept</c> i64 [⌈V/64⌉] (the row bitmap). Reading expands them back to
/// the [V, D] table (zeros for pruned rows and past D_f, which the masked model never reads) and the [V] mask, so a loaded
/// model trains, prunes and compiles like any other. A file with the dense forms (written before 2026-12-07) still loads.
/// </summary>
public static class FieldWidthTensors
{
    private const string Table = EmbeddingPart.DefaultName;
    private const string Kept = $"{EmbeddingPart.DefaultName}.kept";

    /// <summary>Whether a model with <paramref name="config"/> is stored compactly: its mask depends on the config and the fixed mask only.</summary>
    public static bool Applies(ModelConfig config) =>
        config.EmbeddingThreshold == RowThreshold.None && (config.EmbeddingKeptRows || config.EmbeddingFieldDims.Length > 0);

    /// <summary>The tensors to write: <paramref name="tensors"/> with the table and its mask in compact form when <see cref="Applies"/>.</summary>
    public static IReadOnlyList<ModelTensor> Pack(ModelConfig config, FeatureLayout layout, IReadOnlyList<ModelTensor> tensors)
    {
        if (!Applies(config))
        {
            return tensors;
        }

        Dictionary<string, float[]> values = tensors.Where(t => t.DType == TensorDType.Float32).ToDictionary(t => t.Name, t => t.Float32Data.ToArray());
        FieldWidthTable compact = FieldWidthTable.FromMask(RowMask.Of(config, layout, values)!);
        return [.. tensors.Select(t => t.Name switch
        {
            Table => ModelTensor.Float32(Table, t.Role, [compact.Values.Length], compact.Values),
            Kept => ModelTensor.Int64(Kept, t.Role, [compact.KeptBits.Length], compact.KeptBits.ToArray().Select(w => unchecked((long)w)).ToArray()),
            _ => t,
        })];
    }

    /// <summary>The tensors as the model's parameters: a compact table and mask expanded to [V, D] and [V].</summary>
    public static IReadOnlyList<ModelTensor> Unpack(ModelConfig config, FeatureLayout layout, IReadOnlyList<ModelTensor> tensors)
    {
        ModelTensor? table = tensors.FirstOrDefault(t => t.Name == Table);
        if (!Applies(config) || table is null || table.Shape.Length != 1)
        {
            return tensors;
        }

        int rows = layout.TotalRows, words = (rows + 63) / 64;
        ModelTensor? kept = tensors.FirstOrDefault(t => t.Name == Kept);
        ulong[] bits = kept is { DType: TensorDType.Int64 }
            ? [.. kept.Int64Data.ToArray().Select(w => unchecked((ulong)w))]
            : config.EmbeddingKeptRows
                ? throw new ModelFormatException($"a compact table needs its row bitmap '{Kept}' as i64 [{words}]")
                : AllRows(rows);
        FieldWidthTable compact;
        try
        {
            int dim = config.EmbeddingDim;
            compact = new FieldWidthTable(layout, dim, config.EmbeddingFieldDims.Length > 0 ? config.EmbeddingFieldDims : [.. Enumerable.Repeat(dim, layout.FieldCount)],
                bits, table.Float32Data.ToArray(), config.EmbeddingPrunedRows);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"compact embedding table: {e.Message}", e);
        }

        return [.. tensors.Select(t => t.Name switch
        {
            Table => ModelTensor.Float32(Table, t.Role, [rows, config.EmbeddingDim], compact.ToDense()),
            Kept => ModelTensor.Float32(Kept, t.Role, [rows], compact.KeptMask()),
            _ => t,
        })];
    }

    private static ulong[] AllRows(int rows)
    {
        var bits = new ulong[(rows + 63) / 64];
        Array.Fill(bits, ulong.MaxValue);
        if (rows % 64 != 0)
        {
            bits[^1] = (1UL << (rows % 64)) - 1;
        }

        return bits;
    }
}
