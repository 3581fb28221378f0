using Clickwise.Data;
using Clickwise.Models;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// Low-rank embeddings per field (seed 002, eq. 7-11): field i's table D_i [s_i, t] becomes k-wide rows D_i·U plus a
/// projection Uᵀ [k, t] and bias b_i, so e_i ≈ (x·D_i[id]·U)·Uᵀ + b_i. AFM takes U from the eigenvectors of the
/// field's output covariance over the training rows (weighted by how often each row occurs, centred, with
/// b_i = (I − UUᵀ)μ_i, the paper's form, exact for values x ≠ 1 since the bias is not scaled by x); SVD from those of
/// D_iᵀD_i (every row weighted alike, uncentred, b_i = 0).
/// </summary>
public static class LowRankEmbedding
{
    public static LowRankCompression Afm(CtrModel model, IBatchSource rows, int rank)
    {
        (float[] table, int dim) = Table(model, rank);
        var statistics = new EmbeddingStatistics(model.Layout.TotalRows, model.Layout.FieldCount);
        foreach (Batch batch in rows.Batches(Math.Max(1, model.MaxBatchSize), shuffle: false, seed: 0))
        {
            if (!batch.ExtrasInUse.IsEmpty)
            {
                throw new ArgumentException("AFM's embedding statistics count one feature per field; this data has multi-hot fields.");
            }

            statistics.Add(batch.IdsInUse, batch.HasValues ? batch.ValuesInUse : default, batch.Count);
        }

        return Apply(model, table, dim, rank, field =>
        {
            (double[] mean, double[] covariance) = statistics.FieldMoments(table, dim, model.Layout.Offsets[field], model.Layout.Sizes[field]);
            return (EigenBasis.Of(covariance, dim, mean), mean);
        });
    }

    public static LowRankCompression Svd(CtrModel model, int rank)
    {
        (float[] table, int dim) = Table(model, rank);
        return Apply(model, table, dim, rank, field =>
        {
            int first = model.Layout.Offsets[field], count = model.Layout.Sizes[field];
            var gram = new double[dim * dim];
            for (int r = first; r < first + count; r++)
            {
                for (int a = 0; a < dim; a++)
                {
                    for (int b = 0; b < dim; b++)
                    {
                        gram[a * dim + b] += (double)table[r * dim + a] * table[r * dim + b];
                    }
                }
            }

            return (EigenBasis.Of(gram, dim, new double[dim]), null);
        });
    }

    private static (float[] Table, int Dim) Table(CtrModel model, int rank)
    {
        if (model.Config.EmbeddingRank > 0)
        {
            throw new ArgumentException($"model '{model.Config.Name}' already has compressed embeddings (rank {model.Config.EmbeddingRank}).");
        }

        int dim = model.Config.EmbeddingDim;
        if (rank < 1 || rank > dim)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"an embedding rank is 1..{dim} (the embedding width).");
        }

        // The model must have a shared table to replace: building its compressed form refuses those without one.
        ModelRegistry.Create(model.Config with { EmbeddingRank = rank }, model.Layout);
        return (model.Parameters.Single(p => p.Name == EmbeddingPart.DefaultName).Value, dim);
    }

    /// <summary>Per field, the basis (and the mean the bias keeps; null: no bias) → the compressed table, projections and report.</summary>
    private static LowRankCompression Apply(CtrModel model, float[] table, int dim, int rank,
                                            Func<int, (EigenBasis Basis, double[]? Mean)> basisOf)
    {
        int fields = model.Layout.FieldCount;
        var compressed = new float[model.Layout.TotalRows * rank];
        var weight = new float[fields * rank * dim];
        var bias = new float[fields * dim];
        var layers = new List<LowRankLayer>();
        for (int field = 0; field < fields; field++)
        {
            (EigenBasis basis, double[]? mean) = basisOf(field);
            layers.Add(new LowRankLayer($"embedding.{model.Layout.FieldNames[field]}", dim, rank, basis.Values));
            int first = model.Layout.Offsets[field];
            float[] rows = basis.Project(table.AsSpan(first * dim, model.Layout.Sizes[field] * dim), model.Layout.Sizes[field], rank, scale: null);
            rows.CopyTo(compressed, first * rank);
            basis.TopTransposed(rank, scale: null).CopyTo(weight, field * rank * dim);
            if (mean is not null)
            {
                basis.OrthogonalPart(mean, rank).CopyTo(bias, field * dim);
            }
        }

        var tensors = model.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        tensors[EmbeddingPart.DefaultName] = compressed;
        tensors[$"{EmbeddingPart.DefaultName}.proj.weight"] = weight;
        tensors[$"{EmbeddingPart.DefaultName}.proj.bias"] = bias;
        return new LowRankCompression(model.Config with { EmbeddingRank = rank }, tensors, layers,
            model.Parameters.Sum(p => (long)p.Length), tensors.Values.Sum(t => (long)t.Length));
    }
}
