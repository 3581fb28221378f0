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
}
