using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class HashIdTableTests
{
    [Fact]
    public void CountsLikeADictionaryThroughManyGrowths()
    {
        var table = new HashIdTable();
        var reference = new Dictionary<ulong, int>();
        var random = new Random(3);
        for (int i = 0; i < 50_000; i++)
        {
            // Few distinct keys, many repeats; key 0 (the empty marker) and clustered keys included.
            ulong key = random.Next(4) switch
            {
                0 => 0UL,
                1 => (ulong)random.Next(64) << 58, // same top bits: collide on the same slot run
                _ => MurmurHash3.FMix64((ulong)random.Next(20_000)),
            };
            table.GetValueRefOrAddDefault(key, out bool exists)++;
            Assert.Equal(reference.ContainsKey(key), exists);
            reference[key] = reference.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(reference.Count, table.Count);
        foreach ((ulong key, int count) in reference)
        {
            Assert.True(table.TryGetValue(key, out int value));
            Assert.Equal(count, value);
        }

        Assert.False(table.TryGetValue(12345, out _));
    }

    [Fact]
    public void SortInPlaceGivesEveryEntryByKeyAndClearKeepsTheSlots()
    {
        var table = new HashIdTable();
        var reference = new SortedDictionary<ulong, int>();
        var random = new Random(9);
        for (int i = 0; i < 5_000; i++)
        {
            ulong key = random.Next(10) == 0 ? 0UL : MurmurHash3.FMix64((ulong)random.Next(3_000));
            table.GetValueRefOrAddDefault(key, out _)++;
            reference[key] = reference.GetValueOrDefault(key) + 1;
        }

        long bytes = table.BytesAfter(0);
        Assert.Equal(reference.Select(kv => (kv.Key, kv.Value)), table.SortInPlace().ToArray().Select(slot => (slot.Key, slot.Value)));

        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.Equal(bytes, table.BytesAfter(0));
        Assert.False(table.TryGetValue(0, out _));
        Assert.False(table.TryGetValue(reference.Keys.Last(), out _));
        table.GetValueRefOrAddDefault(7, out bool exists)++;
        Assert.False(exists);
        Assert.Equal([(7UL, 1)], table.SortInPlace().ToArray().Select(slot => (slot.Key, slot.Value)));
    }

    [Fact]
    public void BytesAfterIsTheSizeTheTableGrowsTo()
    {
        var table = new HashIdTable();
        Assert.Equal(16 * HashIdTable.SlotBytes, table.BytesAfter(0));
        long predicted = table.BytesAfter(1_000);
        for (ulong key = 1; key <= 1_000; key++)
        {
            table.GetValueRefOrAddDefault(MurmurHash3.FMix64(key), out _)++;
        }

        Assert.Equal(2048 * HashIdTable.SlotBytes, predicted); // 1,000 keys at most 70% full
        Assert.True(table.BytesAfter(0) <= predicted);
    }

    [Fact]
    public void TryAddKeepsTheFirstValueAndCheck()
    {
        var table = new HashIdTable(4);
        Assert.True(table.TryAdd(7, 2, 0xAAAA));
        Assert.False(table.TryAdd(7, 3, 0xBBBB));
        Assert.True(table.TryAdd(0, 4, 0xCCCC));
        Assert.True(table.TryGetValue(7, out int value, out uint check));
        Assert.Equal((2, 0xAAAAu), (value, check));
        Assert.True(table.TryGetValue(0, out value, out check));
        Assert.Equal((4, 0xCCCCu), (value, check));
    }
}
