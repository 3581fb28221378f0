using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// The SVD baseline of seed 002 in AFM's structure: each chosen layer's W [in, out] = P·S·Qᵀ is cut to its top k
/// singular triplets, down = P_k·S_k^½ = W·Q_k·S_k^−½ (bias 0) and up = S_k^½·Q_kᵀ (the layer's bias kept). It needs
/// no data: Q and S come from the eigenpairs of WᵀW. Ranks by energy count W's singular values.
/// </summary>
public static class SvdMlp
{
    public static LowRankCompression Compress(CtrModel model, RankSpec ranks, bool innerRelu)
    {
        Mlp mlp = LowRankMlp.CompressibleDnn(model);

        int hidden = mlp.HiddenLayerCount;
        int[] widths = [.. model.Config.HiddenUnits];
        bool[] chosen = LowRankMlp.ChosenLayers(ranks, widths);
        var factors = new LowRankMlp.Factors?[hidden];
        var layers = new List<LowRankLayer>();
        for (int l = 0; l < hidden; l++)
        {
            if (!chosen[l])
            {
                continue;
            }

            float[] weight = mlp.Weights[l]!.Value;
            int m = widths[l], n = weight.Length / m;
            EigenBasis basis = EigenBasis.Of(Gram(weight, n, m), m, new double[m]);
            int k = Math.Min(ranks.RankFor(l, hidden, basis.Values), n); // W has at most min(n, m) singular values
            layers.Add(new LowRankLayer($"mlp.{l}", m, k, basis.Values));
            if (k > 0)
            {
                double[] root = [.. basis.Values.Take(k).Select(Math.Sqrt)];
                factors[l] = new LowRankMlp.Factors(
                    basis.Project(weight, n, k, [.. root.Select(s => s > 0 ? 1 / Math.Sqrt(s) : 0)]),
                    new float[k],
                    basis.TopTransposed(k, [.. root.Select(Math.Sqrt)]),
                    (float[])mlp.Biases[l].Value.Clone());
            }
        }

        return LowRankMlp.Apply(model, factors, layers, innerRelu);
    }

    /// <summary>WᵀW [m, m] in double for W [n, m].</summary>
    private static double[] Gram(float[] w, int n, int m)
    {
        var gram = new double[m * m];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < m; a++)
            {
                double wa = w[i * m + a];
                for (int b = 0; b < m; b++)
                {
                    gram[a * m + b] += wa * w[i * m + b];
                }
            }
        }

        return gram;
    }
}
