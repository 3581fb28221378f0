using System.Collections;

namespace Clickwise.Layers;

/// <summary>A model's parameters in registration order; names are unique and stable (they key model files).</summary>
public sealed class ParameterSet : IReadOnlyList<Parameter>
{
    private readonly List<Parameter> _items = [];
    private readonly Dictionary<string, Parameter> _byName = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, float[]>? _source;

    public ParameterSet()
    {
    }

    /// <summary>
    /// A set whose parameters take their values from <paramref name="source"/> (by name, not copied) as they are added,
    /// so a saved model is rebuilt around its tensors; a parameter the source lacks is an error.
    /// </summary>
    public ParameterSet(IReadOnlyDictionary<string, float[]>? source) => _source = source;

    public int Count => _items.Count;

    public Parameter this[int index] => _items[index];

    public Parameter this[string name] =>
        _byName.TryGetValue(name, out Parameter? p) ? p : throw new KeyNotFoundException($"no parameter named '{name}'");

    public Parameter Add(Parameter parameter)
    {
        if (!_byName.TryAdd(parameter.Name, parameter))
        {
            throw new ArgumentException($"duplicate parameter name '{parameter.Name}'");
        }

        if (_source is not null)
        {
            parameter.Load(_source.TryGetValue(parameter.Name, out float[]? values)
                ? values
                : throw new InvalidDataException($"tensor '{parameter.Name}' is missing"));
        }

        _items.Add(parameter);
        return parameter;
    }

    public bool TryGet(string name, out Parameter? parameter) => _byName.TryGetValue(name, out parameter);

    public long TotalLength => _items.Sum(p => (long)p.Length);

    /// <summary>The row gradients of every row-sparse parameter, for steps touching at most <paramref name="maxTouchedRows"/> rows of each.</summary>
    public void PrepareRowGradients(int maxTouchedRows)
    {
        foreach (Parameter p in _items)
        {
            p.PrepareRowGradient(maxTouchedRows);
        }
    }

    public void ZeroGrad()
    {
        foreach (Parameter p in _items)
        {
            p.ZeroGrad();
        }
    }

    public IEnumerator<Parameter> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
