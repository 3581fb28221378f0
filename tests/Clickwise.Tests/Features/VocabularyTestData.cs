using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Features;

/// <summary>
/// Ten rows with hand-counted tokens. C1: a×3, b×3, c×2, d×1, one missing. I1 (log-square buckets):
/// 7,6,7 → "3" ×3; 5,5 → "2" ×2; -1,-1 → "-1" ×2; 0 → "0"; 100 → "21"; one missing.
/// With min count 2: C1 ids a=2, b=3 (tie broken by bytes), c=4; I1 ids "3"=2, "-1"=3, "2"=4 ("-" sorts before "2").
/// </summary>
internal static class VocabularyTestData
{
    public static readonly DataSchema Schema = new(["C1", "I1"], [FieldKind.Categorical, FieldKind.Numeric]);

    public static readonly (float Label, string?[] Fields)[] Rows =
    [
        (1, ["a", "7"]),
        (0, ["b", "6"]),
        (0, ["a", "5"]),
        (1, ["c", "5"]),
        (0, ["b", "-1"]),
        (0, ["d", "-1"]),
        (1, [null, "0"]),
        (0, ["a", null]),
        (0, ["c", "100"]),
        (1, ["b", "7"]),
    ];

    /// <summary>Global ids of each row for min count 2 (C1 offset 0, size 5; I1 offset 5, size 5).</summary>
    public static readonly int[][] ExpectedIds =
    [
        [2, 5 + 2],
        [3, 5 + 2],
        [2, 5 + 4],
        [4, 5 + 4],
        [3, 5 + 3],
        [0, 5 + 3],
        [1, 5 + 0],
        [2, 5 + 1],
        [4, 5 + 0],
        [3, 5 + 2],
    ];

    public static MemoryRecordReader Reader() => new(Schema, Rows);

    /// <summary>Encodes every row of <paramref name="reader"/>: global ids, values, and whether any value is not 1.</summary>
    public static List<(int[] Ids, float[] Values, bool Weighted)> EncodeAll(FeatureMap map, IRecordReader reader)
    {
        FeatureEncoder encoder = map.CreateEncoder();
        var record = new RawRecord(map.FieldCount);
        var rows = new List<(int[], float[], bool)>();
        while (reader.Read(record))
        {
            int[] ids = new int[map.FieldCount];
            float[] values = new float[map.FieldCount];
            bool weighted = encoder.Encode(record, ids, values);
            rows.Add((ids, values, weighted));
        }

        return rows;
    }

    public static MemoryRecordReader Reader(IReadOnlyList<(float Label, string?[] Fields)> rows) => new(Schema, rows);
}
