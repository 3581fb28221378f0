using Clickwise.Kernels;

namespace Clickwise.Data;

/// <summary>
/// The features past the first of each (row, field) lookup — the rest of a multi-hot field — filled lookup by lookup
/// in order (<see cref="Add"/> then <see cref="EndLookup"/>), read as <see cref="ExtraLookups"/>. Nothing is stored
/// until the first extra feature arrives, so a one-hot batch costs one counter per lookup. Arrays grow and are reused.
/// </summary>
public sealed class ExtraFeatures
{
    private readonly int _maxLookups;
    private int[] _offsets = [];
    private int[] _ids = [];
    private float[] _values = [];

    public ExtraFeatures(int maxLookups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLookups, 1);
        _maxLookups = maxLookups;
    }

    /// <summary>Lookups closed since <see cref="Clear"/>.</summary>
    public int Lookups { get; private set; }

    /// <summary>Extra features added since <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Entries [<see cref="Lookups"/> + 1] offsets, ids and values; empty when <see cref="Count"/> is 0.</summary>
    public ExtraLookups InUse => Count == 0 ? default : new(_offsets.AsSpan(0, Lookups + 1), _ids.AsSpan(0, Count), _values.AsSpan(0, Count));

    public void Clear()
    {
        Lookups = 0;
        Count = 0;
    }

    /// <summary>One more feature of the lookup being filled (number <see cref="Lookups"/>).</summary>
    public void Add(int id, float value)
    {
        if (Count == 0 && _offsets.Length == 0)
        {
            _offsets = new int[_maxLookups + 1];
        }

        if (Count == 0)
        {
            _offsets.AsSpan(0, Lookups + 1).Clear();
        }

        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(16, 2 * Count));
            Array.Resize(ref _values, _ids.Length);
        }

        _ids[Count] = id;
        _values[Count] = value;
        Count++;
    }

    /// <summary>Closes the lookup being filled: the next <see cref="Add"/> belongs to the next lookup.</summary>
    public void EndLookup()
    {
        if (Lookups == _maxLookups)
        {
            throw new InvalidOperationException($"more than {_maxLookups} lookups");
        }

        Lookups++;
        if (Count != 0)
        {
            _offsets[Lookups] = Count;
        }
    }

    /// <summary><see cref="EndLookup"/> <paramref name="count"/> times: lookups with no extra feature.</summary>
    public void EndLookups(int count)
    {
        if (Count == 0 && Lookups + count <= _maxLookups)
        {
            Lookups += count; // nothing stored yet: the offsets are written when the first extra feature arrives
            return;
        }

        for (int n = 0; n < count; n++)
        {
            EndLookup();
        }
    }
}
