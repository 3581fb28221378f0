using Clickwise.Layers;

namespace Clickwise.IO;

/// <summary>
/// A <see cref="ParameterSet"/> as model-file tensors: one f32 tensor per parameter, named like the parameter,
/// shaped like it, with its <see cref="ParameterRole"/> name as role. Loading checks names, shapes and roles.
/// </summary>
public static class ParameterTensors
{
    /// <summary>Tensors aliasing the parameter values (no copy). A <paramref name="role"/> overrides the parameter roles (e.g. "best").</summary>
    public static IReadOnlyList<ModelTensor> ToTensors(ParameterSet parameters, string prefix = "", string? role = null) =>
        parameters.Select(p => ModelTensor.Float32(prefix + p.Name, role ?? p.Role.ToString(), p.Shape, p.Value)).ToList();

    /// <summary>
    /// Copies tensors into the parameters. With no <paramref name="role"/>, the tensors whose role is a
    /// <see cref="ParameterRole"/> name are the parameters; otherwise those with that role and name prefix.
    /// Every parameter must be present with its shape, and every selected tensor must be a parameter.
    /// </summary>
    public static void Load(ParameterSet parameters, IReadOnlyList<ModelTensor> tensors, string prefix = "", string? role = null)
    {
        Dictionary<string, ModelTensor> selected = Check(parameters, tensors, prefix, role);
        foreach (Parameter p in parameters)
        {
            selected[p.Name].Float32Data.Span.CopyTo(p.Value);
        }
    }

    /// <summary>
    /// What <see cref="Load"/> checks, without copying: the parameter tensors are exactly <paramref name="parameters"/>, by
    /// name, shape and role (a file whose config contradicts its tensors is refused). Returns them by parameter name.
    /// </summary>
    public static Dictionary<string, ModelTensor> Check(ParameterSet parameters, IReadOnlyList<ModelTensor> tensors, string prefix = "", string? role = null)
    {
        var selected = new Dictionary<string, ModelTensor>(StringComparer.Ordinal);
        foreach (ModelTensor t in tensors)
        {
            bool isCandidate = role is null ? Enum.TryParse<ParameterRole>(t.Role, out _) : t.Role == role;
            if (isCandidate && t.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                selected[t.Name[prefix.Length..]] = t;
            }
        }

        foreach (string name in selected.Keys)
        {
            if (!parameters.TryGet(name, out _))
            {
                throw new ModelFormatException(
                    $"model file has tensor '{prefix}{name}' that this model does not have (was it written for another model config?)");
            }
        }

        foreach (Parameter p in parameters)
        {
            if (!selected.TryGetValue(p.Name, out ModelTensor? t))
            {
                throw new ModelFormatException($"model file has no tensor '{prefix}{p.Name}' (shape {Shape(p.Shape)})");
            }

            if (!t.Shape.AsSpan().SequenceEqual(p.Shape) || t.DType != TensorDType.Float32)
            {
                throw new ModelFormatException(
                    $"tensor '{t.Name}' is {t.DType} {Shape(t.Shape)} in the file but the model expects Float32 {Shape(p.Shape)}");
            }

            if (role is null && !IsRoleOf(t.Role, p.Role))
            {
                throw new ModelFormatException($"tensor '{t.Name}' has role {t.Role} in the file but the model's parameter is {p.Role}");
            }
        }

        return selected;
    }

    /// <summary>
    /// Whether a file's role names <paramref name="role"/>. AFM's embedding projections were written as
    /// <see cref="ParameterRole.DenseWeight"/> before they had a role of their own (2026-12-06), and such files still load.
    /// </summary>
    private static bool IsRoleOf(string fileRole, ParameterRole role) => fileRole == role.ToString()
        || (role == ParameterRole.EmbeddingProjection && fileRole == nameof(ParameterRole.DenseWeight));

    private static string Shape(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
