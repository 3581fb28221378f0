using Clickwise.Models;

namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>
/// OptEmbed's phase 3 (seed 004, eq. 17): the model that retrains E and W under the supernet's row mask m_e* and the
/// searched widths, both fixed — the supernet's architecture with <c>embedding_kept_rows</c> and <c>embedding_field_dims</c>
/// instead of thresholds and sampling. Its weights start from the supernet's own initial draw (rewind, lottery-ticket
/// style, the reference's <c>--init_name</c>) or from a fresh draw of seed + 1.
/// </summary>
public static class RetrainModel
{
    public static CtrModel Create(CtrModel supernet, RowMask mask, int[] fieldDims, bool rewind)
    {
        ModelConfig config = supernet.Config with
        {
            EmbeddingThreshold = RowThreshold.None,
            EmbeddingDimSampling = false,
            EmbeddingKeptRows = true,
            EmbeddingFieldDims = fieldDims,
            Seed = rewind ? supernet.Config.Seed : supernet.Config.Seed + 1,
        };
        CtrModel model = ModelRegistry.Create(config, supernet.Layout);
        if (rewind)
        {
            CtrModel initial = ModelRegistry.Create(supernet.Config, supernet.Layout); // the same seed draws the supernet's start
            foreach (Layers.Parameter p in initial.Parameters)
            {
                if (model.Parameters.TryGet(p.Name, out Layers.Parameter? target))
                {
                    p.Value.CopyTo(target!.Value, 0);
                }
            }
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
