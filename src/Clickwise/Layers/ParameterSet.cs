using System.Collections;

namespace Clickwise.Layers;

/// <summary>A model's parameters in registration order; names are unique and stable (they key model files).</summary>
public sealed class ParameterSet : IReadOnlyList<Parameter>
{
    private readonly List<Parameter> _items = [];
    private readonly Dictionary<string, Parameter> _byName = new(StringComparer.Ordinal);

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

        _items.Add(parameter);
        return parameter;
    }

    public bool TryGet(string name, out Parameter? parameter) => _byName.TryGetValue(name, out parameter);

    public long TotalLength => _items.Sum(p => (long)p.Length);

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
