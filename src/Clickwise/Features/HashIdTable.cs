using System.Runtime.CompilerServices;
using Clickwise.Kernels;

namespace Clickwise.Features;

/// <summary>
/// 64-bit token hash → int (plus a 32-bit check word), open addressing with linear probing over one array of
/// 16-byte slots. Vocabulary tables are tens of MB and most lookups miss cache: a slot holds key, value and check
/// together, so a lookup costs one cache miss where <see cref="Dictionary{TKey, TValue}"/> (buckets + entries)
/// costs two. Keys are token hashes, already uniform, so their top bits pick the slot. Key 0 marks an
/// empty slot and is kept aside.
/// </summary>
internal sealed class HashIdTable
{
    private const double MaxLoad = 0.7;

    /// <summary>The bytes of one slot: what a table costs per slot, full or empty.</summary>
    public const int SlotBytes = 16;

    private Slot[] _slots;
    private int _shift;
    private int _growAt;
    private bool _hasZero;
    private int _zeroValue;
    private uint _zeroCheck;

    public HashIdTable(int capacity = 0)
    {
        int size = 16;
        while (size * MaxLoad < capacity)
        {
            size *= 2;
        }

        _slots = new Slot[size];
        Resize(size);
    }

    public int Count { get; private set; }

    /// <summary>A reference to the value of <paramref name="key"/>, added as 0 when absent.</summary>
    public ref int GetValueRefOrAddDefault(ulong key, out bool exists) => ref GetSlot(key, out exists, out _);

    /// <summary>A reference to the value of <paramref name="key"/>, added as 0 (check word 0) when absent, and its check word.</summary>
    public ref int GetValueRefOrAddDefault(ulong key, out bool exists, out Span<uint> check) => ref GetSlot(key, out exists, out check);

    /// <summary>Adds <paramref name="key"/> with a value and check word; false (and no change) when it is present.</summary>
    public bool TryAdd(ulong key, int value, uint check)
    {
        ref int slotValue = ref GetSlot(key, out bool exists, out Span<uint> slotCheck);
        if (exists)
        {
            return false;
        }

        slotValue = value;
        slotCheck[0] = check;
        return true;
    }

    private ref int GetSlot(ulong key, out bool exists, out Span<uint> check)
    {
        if (key == 0)
        {
            exists = _hasZero;
            if (!_hasZero)
            {
                _hasZero = true;
                Count++;
            }

            check = new Span<uint>(ref _zeroCheck);
            return ref _zeroValue;
        }

        if (Count >= _growAt)
        {
            Grow();
        }

        Slot[] slots = _slots;
        int mask = slots.Length - 1;
        for (int i = (int)(key >> _shift); ; i = (i + 1) & mask)
        {
            ref Slot slot = ref slots[i];
            if (slot.Key == key)
            {
                exists = true;
                check = new Span<uint>(ref slot.Check);
                return ref slot.Value;
            }

            if (slot.Key == 0)
            {
                slot.Key = key;
                Count++;
                exists = false;
                check = new Span<uint>(ref slot.Check);
                return ref slot.Value;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ulong key, out int value) => TryGetValue(key, out value, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ulong key, out int value, out uint check)
    {
        if (key == 0)
        {
            value = _zeroValue;
            check = _zeroCheck;
            return _hasZero;
        }

        Slot[] slots = _slots;
        int mask = slots.Length - 1;
        for (int i = (int)(key >> _shift); ; i = (i + 1) & mask)
        {
            Slot slot = slots[i];
            if (slot.Key == key)
            {
                value = slot.Value;
                check = slot.Check;
                return true;
            }

            if (slot.Key == 0)
            {
                value = 0;
                check = 0;
                return false;
            }
        }
    }

    /// <summary>Asks for the cache line where <paramref name="key"/>'s probe starts, so a lookup a little later finds it there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong key) =>
        // A stale address (the table grew meanwhile) only wastes the prefetch: prefetches never fault.
        CachePrefetch.Element((int*)Unsafe.AsPointer(ref _slots[(int)(key >> _shift)]));

    public int GetValueOrDefault(ulong key) => TryGetValue(key, out int value) ? value : 0;

    /// <summary>The bytes of the slots this table would hold after <paramref name="newKeys"/> more keys (it doubles as it fills).</summary>
    public long BytesAfter(long newKeys)
    {
        long size = _slots.Length;
        while (Count + newKeys >= (long)(size * MaxLoad))
        {
            size *= 2;
        }

        return size * SlotBytes;
    }

    /// <summary>Empties the table but keeps its slots: a table emptied to stay within a memory budget refills to the same size.</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        Count = 0;
        _hasZero = false;
        _zeroValue = 0;
        _zeroCheck = 0;
    }

    /// <summary>
    /// Every key with its value, ordered by key, sorted within the table's own slots: writing a table out in order takes
    /// no memory beyond it. The table holds nothing meaningful afterwards until <see cref="Clear"/>.
    /// </summary>
    public ReadOnlySpan<Slot> SortInPlace()
    {
        int used = 0;
        foreach (Slot slot in _slots)
        {
            if (slot.Key != 0)
            {
                _slots[used++] = slot;
            }
        }

        // The zero key lives outside the slots; a table never fills, so there is room for it behind the others.
        if (_hasZero)
        {
            _slots[used++] = new Slot { Key = 0, Value = _zeroValue, Check = _zeroCheck };
        }

        Span<Slot> entries = _slots.AsSpan(0, used);
        entries.Sort(default(ByKey));
        return entries;
    }

    /// <summary>Every key with its value and check word, in no particular order.</summary>
    public IEnumerable<Slot> Entries()
    {
        if (_hasZero)
        {
            yield return new Slot { Key = 0, Value = _zeroValue, Check = _zeroCheck };
        }

        foreach (Slot slot in _slots)
        {
            if (slot.Key != 0)
            {
                yield return slot;
            }
        }
    }

    private void Resize(int size)
    {
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
        _growAt = (int)(size * MaxLoad);
    }

    private void Grow()
    {
        Slot[] old = _slots;
        _slots = new Slot[old.Length * 2];
        Resize(_slots.Length);
        int mask = _slots.Length - 1;
        foreach (Slot slot in old)
        {
            if (slot.Key == 0)
            {
                continue;
            }

            int i = (int)(slot.Key >> _shift);
            while (_slots[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = slot;
        }
    }

    internal struct Slot
    {
        public ulong Key;
        public int Value;
        public uint Check;
    }

    private readonly struct ByKey : IComparer<Slot>
    {
        public int Compare(Slot x, Slot y) => x.Key.CompareTo(y.Key);
    }
}
