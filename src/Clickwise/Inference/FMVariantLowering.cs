using Clickwise.Inference.Ops;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// Lowers the zoo's FM variants: FFM's pair term (<see cref="FFMOp"/>, straight from its [V, F·D] table), FNN's DNN input
/// (one gather from its first_order and embedding tables joined into [V, D + 1] rows), and the FM of Wide &amp; Deep
/// (FM &amp; DNN), which gathers a table of its own beside the DNN's. Everything else lowers as in every other model.
/// </summary>
internal static class FMVariantLowering
{
    public static bool HasFirstOrder(string name) => name is "ffm" or "wdl-fm";

    public static bool HasEmbedding(string name) => name is "fnn" or "wdl-fm";

    public static bool HasFM(string name) => name is "wdl-fm";

    public static bool HasDeep(string name) => name is "fnn" or "wdl-fm";

    /// <summary>Width of a gathered field: FNN's z_i = (w_i, e_i) is D + 1 wide, every other model's D.</summary>
    public static int GatherWidth(string name, int dim) => name is "fnn" ? dim + 1 : dim;

    /// <summary>The table the embedding gather reads: FNN's joined rows (first_order[id], embedding[id, :]), else "embedding".</summary>
    public static float[] EmbeddingTable(string name, Func<string, float[]> tensor, int rows, int dim)
    {
        if (name is not "fnn")
        {
            return tensor(EmbeddingPart.DefaultName);
        }

        float[] firstOrder = tensor("first_order"), embedding = tensor(EmbeddingPart.DefaultName);
        if (firstOrder.Length != rows || embedding.Length != (long)rows * dim)
        {
            throw new InvalidDataException(
                $"fnn needs first_order [{rows}, 1] and embedding [{rows}, {dim}], got {firstOrder.Length} and {embedding.Length} values");
        }

        var joined = new float[checked(rows * (dim + 1))];
        FnnModel.Join(firstOrder, embedding, rows, dim, joined);
        return joined;
    }

    /// <summary>
    /// The tape offset of the FM's [B, F, D] input: the shared embeddings, or for wdl-fm its own "wide.embedding"
    /// gathered by <paramref name="gather"/>(table, offset) into a region of its own.
    /// </summary>
    public static int FMInput(string name, int embeddingOffset, int width, Func<string, float[]> tensor, Func<int, int> allocate,
                              Func<float[], int, IInferenceOp> gather, List<IInferenceOp> ops)
    {
        if (name is not "wdl-fm")
        {
            return embeddingOffset;
        }

        int offset = allocate(width);
        ops.Add(gather(tensor(WideDeepFMModel.WideTableName), offset));
        return offset;
    }

    /// <summary>Adds FFM's pair op (its first-order term and bias lower as every model's).</summary>
    public static void LowerFFM(string name, int fieldCount, int dim, Func<string, float[]> tensor, List<IInferenceOp> ops)
    {
        if (name is "ffm")
        {
            ops.Add(new FFMOp(tensor(FFMModel.TableName), fieldCount, dim));
        }
    }
}
