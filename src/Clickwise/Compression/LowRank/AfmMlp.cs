using Clickwise.Data;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// Atomic feature mimicking for a model's DNN (seed 002, eq. 1-5): stream each chosen hidden layer's outputs
/// y = x·W + b over the training rows in eval mode, decompose Cov(y) = USUᵀ, and replace W by the top-k directions:
/// down = (W·U_k, b·U_k), an optional ReLU, up = U_kᵀ with bias (I − U_kU_kᵀ)μ, so that without the ReLU
/// ŷ = U_kU_kᵀ(y − μ) + μ, the PCA-optimal rank-k reconstruction. The layer's activation and dropout follow as before.
/// </summary>
public static class AfmMlp
{
    /// <summary>
    /// Compresses <paramref name="model"/>'s DNN (prepared for training or evaluation) over <paramref name="rows"/>.
    /// Fixed ranks choose the layers (0 leaves one); by energy, every hidden layer but the first is compressed (the
    /// paper's choice: the first layer's input width follows the embeddings).
    /// </summary>
    public static LowRankCompression Compress(CtrModel model, IBatchSource rows, RankSpec ranks, bool innerRelu)
    {
        Mlp mlp = model.Dnn ?? throw new ArgumentException($"model '{model.Config.Name}' has no DNN to compress.");
        if (mlp.IsLowRank)
        {
            throw new ArgumentException($"model '{model.Config.Name}' already has low-rank DNN layers ({string.Join(",", model.Config.MlpRanks)}).");
        }

        int hidden = mlp.HiddenLayerCount;
        int[] widths = [.. model.Config.HiddenUnits];
        bool[] chosen = [.. Enumerable.Range(0, hidden).Select(l => ranks.Ranks is not null
            ? ranks.RankFor(l, hidden, new double[widths[l]]) > 0
            : l > 0)];
        OutputStatistics?[] statistics = [.. Enumerable.Range(0, hidden).Select(l => chosen[l] ? new OutputStatistics(widths[l], model.Compute) : null)];
        Stream(model, mlp, rows, statistics);

        var tensors = model.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var layers = new List<LowRankLayer>();
        int[] kept = new int[hidden];
        for (int l = 0; l < hidden; l++)
        {
            if (statistics[l] is not { } stats)
            {
                continue;
            }

            float[] weight = mlp.Weights[l]!.Value, bias = mlp.Biases[l].Value;
            double[] mean = stats.Mean();
            for (int j = 0; j < mean.Length; j++)
            {
                mean[j] += bias[j]; // the statistics saw x·W; y adds the bias
            }

            EigenBasis basis = EigenBasis.Of(stats.Covariance(), widths[l], mean);
            int k = ranks.RankFor(l, hidden, basis.Values);
            layers.Add(new LowRankLayer($"mlp.{l}", widths[l], k, basis.Values));
            if (k == 0)
            {
                continue;
            }

            kept[l] = k;
            string prefix = $"mlp.{l}";
            tensors.Remove($"{prefix}.weight");
            tensors[$"{prefix}.down.weight"] = Project(weight, weight.Length / widths[l], basis, k);
            tensors[$"{prefix}.down.bias"] = Project(bias, 1, basis, k);
            tensors[$"{prefix}.up.weight"] = Transposed(basis, k);
            tensors[$"{prefix}.bias"] = OrthogonalPart(mean, basis, k);
        }

        ModelConfig config = model.Config with { MlpRanks = kept, MlpInnerRelu = innerRelu };
        return new LowRankCompression(config, tensors, layers, model.Parameters.Sum(p => (long)p.Length), tensors.Values.Sum(t => (long)t.Length));
    }

    /// <summary>One eval-mode pass over the rows with each chosen layer's product fed to its statistics.</summary>
    private static void Stream(CtrModel model, Mlp mlp, IBatchSource rows, OutputStatistics?[] statistics)
    {
        var logits = new float[model.MaxBatchSize];
        mlp.ProductObserver = (layer, product, batchSize) => statistics[layer]?.Add(product, batchSize);
        try
        {
            foreach (Batch batch in rows.Batches(model.MaxBatchSize, shuffle: false, seed: 0))
            {
                model.Forward(batch, logits, training: false);
            }
        }
        finally
        {
            mlp.ProductObserver = null;
        }
    }

    /// <summary>M·U_k for M [rows, m] (row-major), in double: [rows, k].</summary>
    private static float[] Project(float[] matrix, int rowCount, EigenBasis basis, int k)
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

                result[i * k + j] = (float)sum;
            }
        }

        return result;
    }

    /// <summary>U_kᵀ, [k, m]: the up factor.</summary>
    private static float[] Transposed(EigenBasis basis, int k)
    {
        int m = basis.Size;
        var result = new float[k * m];
        for (int j = 0; j < k; j++)
        {
            for (int r = 0; r < m; r++)
            {
                result[j * m + r] = (float)basis.Vector(r, j);
            }
        }

        return result;
    }

    /// <summary>(I − U_kU_kᵀ)μ: the up factor's bias.</summary>
    private static float[] OrthogonalPart(double[] mean, EigenBasis basis, int k)
    {
        int m = basis.Size;
        var result = new double[m];
        Array.Copy(mean, result, m);
        for (int j = 0; j < k; j++)
        {
            double along = 0;
            for (int r = 0; r < m; r++)
            {
                along += mean[r] * basis.Vector(r, j);
            }

            for (int r = 0; r < m; r++)
            {
                result[r] -= along * basis.Vector(r, j);
            }
        }

        return [.. result.Select(v => (float)v)];
    }
}
