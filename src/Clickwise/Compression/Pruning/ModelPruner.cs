using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Compression.Pruning;

/// <summary>
/// Finds a model's DeepLight components among its parameters by role and prunes them by magnitude: every hidden
/// DNN layer on its own (the output layer and all biases are kept, as in the reference code), the FwFM pair
/// weights, the embedding table under one global threshold or per field, and xDeepFM's CIN filters (each layer's
/// W^k on its own, biases kept).
/// </summary>
/// <remarks>
/// Masks are persistent by default: a pruned weight stays zero (<see cref="ApplyMasks"/> after every optimizer
/// step) and later prunes only add to the mask, so any checkpoint has the sparsity it reports and compiles into
/// the sparse predictor as is. With <c>regrow</c> (the reference code's behaviour) each prune starts from a fresh
/// mask, so weights zeroed earlier may come back if training made them large again.
/// </remarks>
public sealed class ModelPruner
{
    private readonly FeatureLayout _layout;

    public ModelPruner(ParameterSet parameters, FeatureLayout layout, SparsityTargets targets,
                       EmbeddingPruningScope embeddingScope = EmbeddingPruningScope.Global, bool regrow = false)
    {
        _layout = layout;
        Targets = targets;
        EmbeddingScope = embeddingScope;
        Regrow = regrow;
        var tensors = new List<PrunedTensor>();
        foreach (Parameter p in parameters)
        {
            PruningComponent? component = ComponentOf(p);
            if (component is { } c && targets.Prunes(c))
            {
                if (c == PruningComponent.Embedding && embeddingScope == EmbeddingPruningScope.PerField && p.RowCount != layout.TotalRows)
                {
                    throw new ArgumentException($"per-field embedding pruning needs one '{p.Name}' row per feature; this model keeps "
                        + $"{p.RowCount:N0} of {layout.TotalRows:N0} (its tensor-train fields' rows are cores)");
                }

                tensors.Add(new PrunedTensor(p, c, new PruneMask(p.Length)));
            }
        }

        foreach (PruningComponent c in targets.Components.Where(targets.Prunes))
        {
            if (!tensors.Any(t => t.Component == c))
            {
                throw new ArgumentException($"the model has no {SparsityTargets.Letter(c)} component to prune ({targets.ToPaperNotation()})");
            }
        }

        Tensors = tensors;
    }

    public SparsityTargets Targets { get; }

    public EmbeddingPruningScope EmbeddingScope { get; }

    public bool Regrow { get; }

    public IReadOnlyList<PrunedTensor> Tensors { get; }

    /// <summary>The component a parameter belongs to, or null when DeepLight never prunes it.</summary>
    public static PruningComponent? ComponentOf(Parameter parameter) => parameter.Role switch
    {
        ParameterRole.DenseWeight when parameter.RowWidth > 1 => PruningComponent.Dnn,
        ParameterRole.FieldMatrix => PruningComponent.FieldMatrix,
        ParameterRole.Embedding => PruningComponent.Embedding,
        ParameterRole.CinFilter => PruningComponent.Cin,
        _ => null,
    };

    /// <summary>Prunes every component to <paramref name="fraction"/> of its target (1 = the full target) and zeroes the pruned weights.</summary>
    public void Prune(double fraction = 1.0)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), "must be in [0, 1]");
        }

        foreach (PrunedTensor t in Tensors)
        {
            double sparsity = Targets[t.Component] * fraction;
            if (Regrow)
            {
                t.Mask.Clear();
            }

            float[] values = t.Parameter.Value;
            if (t.Component == PruningComponent.Embedding && EmbeddingScope == EmbeddingPruningScope.PerField)
            {
                int width = t.Parameter.RowWidth;
                for (int f = 0; f < _layout.FieldCount; f++)
                {
                    int start = _layout.Offsets[f] * width;
                    int length = _layout.Sizes[f] * width;
                    MagnitudePruning.PruneSmallest(values.AsSpan(start, length), t.Mask, start,
                        MagnitudePruning.PrunedCount(length, sparsity));
                }
            }
            else
            {
                MagnitudePruning.Prune(values, t.Mask, sparsity);
            }

            t.Mask.Apply(values);
        }
    }

    /// <summary>
    /// Puts pruned weights back to zero after an optimizer step moved them; a row-sparse table is only visited
    /// on the rows its gradient touched.
    /// </summary>
    public void ApplyMasks()
    {
        foreach (PrunedTensor t in Tensors)
        {
            if (t.Parameter.RowGrad is { } rows)
            {
                t.Mask.ApplyRows(t.Parameter.Value, rows.Rows.AsSpan(0, rows.Count), t.Parameter.RowWidth);
            }
            else
            {
                t.Mask.Apply(t.Parameter.Value);
            }
        }
    }

    /// <summary>Adopts the zeros of loaded weights as the masks, so pruning a pruned model keeps what it pruned.</summary>
    public void AdoptZeros()
    {
        foreach (PrunedTensor t in Tensors)
        {
            t.Mask.PruneZeros(t.Parameter.Value);
        }
    }

    /// <summary>Achieved sparsity per component: pruned and total entries over its tensors.</summary>
    public IReadOnlyDictionary<PruningComponent, (long Pruned, long Total)> Sparsity()
    {
        var result = new Dictionary<PruningComponent, (long Pruned, long Total)>();
        foreach (PrunedTensor t in Tensors)
        {
            (long pruned, long total) = result.GetValueOrDefault(t.Component);
            result[t.Component] = (pruned + t.Mask.PrunedCount, total + t.Mask.Length);
        }

        return result;
    }
}
