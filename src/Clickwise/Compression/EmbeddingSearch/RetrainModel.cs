using Clickwise.Models;

namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>
/// OptEmbed's phase 3 (seed 004, eq. 17): the model that retrains E and W under the supernet's row mask m_e* and the
/// searched widths, both fixed — the supernet's architecture with <c>embedding_kept_rows</c> and <c>embedding_field_dims</c>
/// instead of thresholds and sampling. Its weights start from the supernet's saved start (rewind, lottery-ticket style,
/// the reference's <c>--init_name</c>), from the draw of the supernet's seed, or from a fresh draw of seed + 1
/// (<see cref="RetrainStart"/>).
/// </summary>
public static class RetrainModel
{
    /// <param name="from">Where the weights start.</param>
    /// <param name="start">
    /// With <see cref="RetrainStart.Rewind"/>: the weights the supernet started training from (<c>TrainRequest.StartPath</c>).
    /// Not a redraw of the supernet's seed: a supernet may start from more than its draw (an FNN from its FM pre-training).
    /// </param>
    public static CtrModel Create(CtrModel supernet, RowMask mask, int[] fieldDims, RetrainStart from, IReadOnlyDictionary<string, float[]>? start = null)
    {
        if ((from == RetrainStart.Rewind) != (start is not null))
        {
            throw new ArgumentException(from == RetrainStart.Rewind ? "rewinding needs the supernet's start" : $"a {from} retrain takes no start");
        }

        ModelConfig config = supernet.Config with
        {
            EmbeddingThreshold = RowThreshold.None,
            EmbeddingDimSampling = false,
            EmbeddingKeptRows = true,
            EmbeddingFieldDims = fieldDims,
            Seed = from == RetrainStart.Fresh ? supernet.Config.Seed + 1 : supernet.Config.Seed,
        };
        CtrModel model = ModelRegistry.Create(config, supernet.Layout);
        // The start's tensors by name: the table, the DNN, the biases; the supernet's thresholds have no place here.
        foreach (Layers.Parameter p in model.Parameters)
        {
            if (start is null || !start.TryGetValue(p.Name, out float[]? value))
            {
                continue;
            }

            if (value.Length != p.Value.Length)
            {
                throw new ArgumentException($"the supernet's start holds {value.Length} values of {p.Name}, the retrained model {p.Value.Length}");
            }

            value.CopyTo(p.Value, 0);
        }

        float[] kept = model.Parameters[$"{EmbeddingPart.DefaultName}.kept"].Value;
        for (int f = 0; f < mask.Layout.FieldCount; f++)
        {
            for (int r = mask.Layout.Offsets[f]; r < mask.Layout.Offsets[f] + mask.Layout.Sizes[f]; r++)
            {
                kept[r] = mask.Keeps(r, f) ? 1f : 0f;
            }
        }

        return model;
    }
}
