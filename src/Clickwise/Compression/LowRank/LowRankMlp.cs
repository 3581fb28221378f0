using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// What AFM and SVD share once each has chosen its directions: which layers a rank spec selects, the factors as
/// products with an eigenbasis, and the compressed model description with its tensors.
/// </summary>
internal static class LowRankMlp
{
    /// <summary>A layer's factors: down [in, k], down bias [k], up [k, out] and the layer's new bias [out].</summary>
    public sealed record Factors(float[] Down, float[] DownBias, float[] Up, float[] Bias);

    /// <summary>The model's DNN, which must exist and still be dense.</summary>
    public static Mlp CompressibleDnn(CtrModel model)
    {
        Mlp mlp = model.Dnn ?? throw new ArgumentException($"model '{model.Config.Name}' has no DNN to compress.");
        if (mlp.IsLowRank)
        {
            throw new ArgumentException($"model '{model.Config.Name}' already has low-rank DNN layers ({string.Join(",", model.Config.MlpRanks)}).");
        }

        return mlp;
    }

    /// <summary>
    /// Fixed ranks choose the layers (0 leaves one); by energy, every hidden layer but the first (the paper's choice: the
    /// first layer's input width follows the embeddings).
    /// </summary>
    public static bool[] ChosenLayers(RankSpec ranks, int[] widths) =>
        [.. Enumerable.Range(0, widths.Length).Select(l => ranks.Ranks is not null
            ? ranks.RankFor(l, widths.Length, new double[widths[l]]) > 0
            : l > 0)];

    /// <summary>The model with <paramref name="factors"/> in place of the chosen layers' weights (null: left dense).</summary>
    public static LowRankCompression Apply(CtrModel model, Factors?[] factors, IReadOnlyList<LowRankLayer> layers, bool innerRelu)
    {
        var tensors = model.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        for (int l = 0; l < factors.Length; l++)
        {
            if (factors[l] is not { } f)
            {
                continue;
            }

            string prefix = $"mlp.{l}";
            tensors.Remove($"{prefix}.weight");
            tensors[$"{prefix}.down.weight"] = f.Down;
            tensors[$"{prefix}.down.bias"] = f.DownBias;
            tensors[$"{prefix}.up.weight"] = f.Up;
            tensors[$"{prefix}.bias"] = f.Bias;
        }

        ModelConfig config = model.Config with { MlpRanks = [.. factors.Select(f => f?.DownBias.Length ?? 0)], MlpInnerRelu = innerRelu };
        return new LowRankCompression(config, tensors, layers, model.Parameters.Sum(p => (long)p.Length), tensors.Values.Sum(t => (long)t.Length));
    }

    /// <summary>M·U_k·diag(scale) for M [rows, m] (row-major), in double: [rows, k].</summary>
    public static float[] Project(float[] matrix, int rowCount, EigenBasis basis, int k, double[]? scale)
    {
        int m = basis.Size;
        var result = new float[rowCount * k];
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int r = 0; r < m; r++)
                {
                    sum += matrix[i * m + r] * basis.Vector(r, j);
                }

                result[i * k + j] = (float)(sum * (scale?[j] ?? 1));
            }
        }

        return result;
    }

    /// <summary>diag(scale)·U_kᵀ, [k, m].</summary>
    public static float[] Transposed(EigenBasis basis, int k, double[]? scale)
    {
        int m = basis.Size;
        var result = new float[k * m];
        for (int j = 0; j < k; j++)
        {
            for (int r = 0; r < m; r++)
            {
                result[j * m + r] = (float)(basis.Vector(r, j) * (scale?[j] ?? 1));
            }
        }

        return result;
    }
}
