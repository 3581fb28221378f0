using Clickwise.Data;
using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// Low-rank embeddings per field (seed 002, eq. 7-11): field i's table D_i [s_i, t] becomes k-wide rows D_i·U plus a
/// projection Uᵀ [k, t] and bias b_i, so e_i ≈ (x·D_i[id]·U)·Uᵀ + b_i. AFM takes U from the eigenvectors of the
/// field's output covariance over the training rows (weighted by how often each row occurs, centred, with
/// b_i = (I − UUᵀ)μ_i, the paper's form, exact for values x ≠ 1 since the bias is not scaled by x); SVD from those of
/// D_iᵀD_i (every row weighted alike, uncentred, b_i = 0). <see cref="Tt"/> is the tensor-train baseline: the largest
/// fields' tables become TT cores by TT-SVD (<see cref="TensorTrainDecomposition"/>), the other fields keep their rows.
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

    /// <summary>
    /// The <paramref name="fields"/> largest fields' rows as tensor trains of rank <paramref name="rank"/>, initialised by
    /// TT-SVD of the trained rows; the report has one entry per train field: its first cut's σ² and the relative error.
    /// </summary>
    public static LowRankCompression Tt(CtrModel model, int rank, int fields)
    {
        RefuseCompressed(model);

        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ModelConfig config = model.Config with { EmbeddingTtRank = rank, EmbeddingTtFields = fields };
        config.Validate();
        ModelRegistry.Create(config, model.Layout); // refuses models without a shared table
        int dim = config.EmbeddingDim;
        float[] table = model.Parameters.Single(p => p.Name == EmbeddingPart.DefaultName).Value;
        var trains = new TensorTrainFields(model.Layout, dim, rank, fields);
        var tensors = model.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        tensors[EmbeddingPart.DefaultName] = trains.TableFrom(table, dim);
        var layers = new List<LowRankLayer>();
        foreach (int field in trains.Fields)
        {
            int size = model.Layout.Sizes[field];
            ReadOnlySpan<float> rows = table.AsSpan(model.Layout.Offsets[field] * dim, size * dim);
            TensorTrainShape shape = trains.Shape(field);
            (float[] cores, double[] firstCut) = TensorTrainDecomposition.Decompose(rows, size, shape);
            tensors[TensorTrainFields.CoresName(EmbeddingPart.DefaultName, field)] = cores;
            // Reported like a layer by its first cut: the [p1·q1, rest] unfolding's p1·q1 singular values, r1 of them kept.
            layers.Add(new LowRankLayer($"embedding.{model.Layout.FieldNames[field]}", firstCut.Length, shape.Ranks[1], firstCut)
            {
                RelativeError = TensorTrainDecomposition.RelativeError(rows, size, shape, cores),
            });
        }

        return new LowRankCompression(config, tensors, layers, model.Parameters.Sum(p => (long)p.Length), tensors.Values.Sum(t => (long)t.Length));
    }

    private static (float[] Table, int Dim) Table(CtrModel model, int rank)
    {
        RefuseCompressed(model);

        int dim = model.Config.EmbeddingDim;
        if (rank < 1 || rank > dim)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"an embedding rank is 1..{dim} (the embedding width).");
        }

        // The model must have a shared table to replace: building its compressed form refuses those without one.
        ModelRegistry.Create(model.Config with { EmbeddingRank = rank }, model.Layout);
        return (model.Parameters.Single(p => p.Name == EmbeddingPart.DefaultName).Value, dim);
    }

    private static void RefuseCompressed(CtrModel model)
    {
        if (model.Config.EmbeddingRank > 0 || model.Config.EmbeddingTtRank > 0 || model.Config.EmbeddingQrCollisions > 0)
        {
            throw new ArgumentException($"model '{model.Config.Name}' already has compressed embeddings.");
        }
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
