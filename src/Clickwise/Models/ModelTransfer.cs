using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// Starts one architecture from another's trained weights: FNN from an FM (its pre-training phase, or
/// <c>train --model fnn --init fm.cwm</c>), or any model from a saved one over the same vocabulary.
/// </summary>
/// <remarks>
/// Only what means the same thing in every Clickwise model moves, matched by name and shape: the lookup tables (role
/// <see cref="ParameterRole.Embedding"/> or <see cref="ParameterRole.FirstOrder"/>: one row per feature of the shared
/// vocabulary, e.g. "embedding", "first_order"), OptEmbed's fixed row mask on the shared table when both have one, and the
/// global bias "bias". Network weights (mlp.*, fwfm.*, cross.*,
/// product.*) start fresh even when a tensor of the same name and shape exists: what they compute depends on the
/// architecture's wiring (IPNN's and DNN's mlp.1.weight have one shape and different inputs; FNN's mlp.0.weight reads
/// [w ‖ e] per field, DeepFM's only e). The target must find every table it looks features up in, with the same
/// width: otherwise it would start partly random, which is not starting from the source, and the transfer is refused
/// (<see cref="ArgumentException"/>) — an FFM or a Wide &amp; Deep (FM &amp; DNN) cannot start from an FM, whose
/// "embedding" is neither "ffm.embedding" nor "wide.embedding".
/// </remarks>
public static class ModelTransfer
{
    /// <summary>The global bias, the one network scalar every model shares.</summary>
    public const string BiasName = "bias";

    /// <summary>
    /// What a <paramref name="target"/> model takes from a <paramref name="source"/> model over
    /// <paramref name="fieldCount"/> fields; throws <see cref="ArgumentException"/> when it cannot start from it.
    /// Built on the two architectures over one row per field, so it costs nothing next to the real models.
    /// </summary>
    public static TransferPlan Plan(ModelConfig source, ModelConfig target, int fieldCount)
    {
        var layout = new FeatureLayout([.. Enumerable.Range(0, fieldCount).Select(f => $"f{f}")], [.. Enumerable.Repeat(1, fieldCount)]);
        ParameterSet from = ModelRegistry.Create(source, layout).Parameters;
        ParameterSet to = ModelRegistry.Create(target, layout).Parameters;
        var copied = new List<string>();
        var fresh = new List<string>();
        foreach (Parameter p in to)
        {
            bool isTable = p.Role is ParameterRole.Embedding or ParameterRole.FirstOrder;
            from.TryGet(p.Name, out Parameter? q);
            if (isTable)
            {
                if (q is null || q.Role != p.Role)
                {
                    throw new ArgumentException(
                        $"{target.Name} cannot start from a {source.Name}: it looks features up in '{p.Name}', which a {source.Name} does not have"
                        + $" (a {source.Name} has {string.Join(", ", from.Where(t => t.Role is ParameterRole.Embedding or ParameterRole.FirstOrder).Select(t => $"'{t.Name}'"))})");
                }

                if (q.RowWidth != p.RowWidth)
                {
                    throw new ArgumentException(
                        $"{target.Name} cannot start from this {source.Name}: '{p.Name}' rows are {q.RowWidth} wide in the {source.Name} "
                        + $"(embedding dim {source.EmbeddingDim}) but {p.RowWidth} in the {target.Name} (embedding dim {target.EmbeddingDim}); "
                        + $"build the {target.Name} with --embedding-dim {source.EmbeddingDim}");
                }

                copied.Add(p.Name);
            }
            else if ((p.Name == BiasName || p.Role == ParameterRole.RowMask) && q is not null && q.Role == p.Role && q.Length == p.Length)
            {
                copied.Add(p.Name);
            }
            else
            {
                fresh.Add(p.Name);
            }
        }

        return new TransferPlan(source.Name, target.Name, copied, fresh);
    }

    /// <summary>
    /// Copies into <paramref name="target"/> the tensors <see cref="Plan"/> allows from a <paramref name="source"/>
    /// model's named values (a saved model's tensors, or a live model's parameters) over the same vocabulary.
    /// </summary>
    public static TransferPlan Apply(ModelConfig source, IReadOnlyDictionary<string, float[]> tensors, CtrModel target)
    {
        ArgumentNullException.ThrowIfNull(target);
        TransferPlan plan = Plan(source, target.Config, target.Layout.FieldCount);
        foreach (string name in plan.Copied)
        {
            Parameter p = target.Parameters[name];
            if (!tensors.TryGetValue(name, out float[]? values) || values.Length != p.Length)
            {
                throw new InvalidDataException(
                    $"the {source.Name} has {(values is null ? "no values" : $"{values.Length:N0} values")} for '{name}', "
                    + $"the {target.Config.Name} needs {p.Length:N0} (another vocabulary?)");
            }

            values.CopyTo(p.Value, 0);
        }

        return plan;
    }
}

/// <summary>Which of a target model's tensors come from the source (by name) and which start fresh.</summary>
public sealed record TransferPlan(string Source, string Target, IReadOnlyList<string> Copied, IReadOnlyList<string> Fresh)
{
    public override string ToString() =>
        $"{Target} from {Source}: {string.Join(", ", Copied)} copied"
        + (Fresh.Count == 0 ? "" : $"; {string.Join(", ", Fresh.Select(n => n.StartsWith("mlp.", StringComparison.Ordinal) ? "mlp.*" : n).Distinct())} fresh");
}
