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
        Mlp mlp = LowRankMlp.CompressibleDnn(model);

        int hidden = mlp.HiddenLayerCount;
        int[] widths = [.. model.Config.HiddenUnits];
        bool[] chosen = LowRankMlp.ChosenLayers(ranks, widths);
        OutputStatistics?[] statistics = [.. Enumerable.Range(0, hidden).Select(l => chosen[l] ? new OutputStatistics(widths[l], model.Compute) : null)];
        Stream(model, mlp, rows, statistics);

        var factors = new LowRankMlp.Factors?[hidden];
        var layers = new List<LowRankLayer>();
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
            if (k > 0)
            {
                factors[l] = new LowRankMlp.Factors(
                    basis.Project(weight, weight.Length / widths[l], k, scale: null),
                    basis.Project(bias, 1, k, scale: null),
                    basis.TopTransposed(k, scale: null),
                    basis.OrthogonalPart(mean, k));
            }
        }

        return LowRankMlp.Apply(model, factors, layers, innerRelu);
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
}
