using Clickwise.Data;
using Clickwise.Experiments;
using Clickwise.Features;
using Clickwise.Models;

namespace Clickwise.Tests.Experiments;

public sealed class PrunedRowCountsTests
{
    [Fact]
    public void ComparesTheMedianTrainingLookupsOfPrunedAndKeptRows()
    {
        // Two fields of 3 and 4 rows (global rows 0-2 and 3-6); five training rows.
        var layout = new FeatureLayout(["a", "b"], [3, 4]);
        int[] ids = [0, 3, 1, 3, 1, 4, 2, 4, 1, 3];
        var train = new InMemoryBatchSource(ids, null, new float[5], 2);

        long[] lookups = PrunedRowCounts.Lookups(train, layout.TotalRows);
        Assert.Equal([1L, 3, 1, 3, 2, 0, 0], lookups);

        // Pruned: rows 2, 5, 6 (lookups 1, 0, 0: median 0); kept: 0, 1, 3, 4 (1, 3, 3, 2: median 2.5).
        var mask = new RowMask(layout, 4, new float[layout.TotalRows * 4], null, RowThreshold.None, PrunedRows.Zero, [], [1, 1, 0, 1, 1, 0, 0]);
        PrunedRowCounts counts = PrunedRowCounts.Of(mask, lookups);
        Assert.Equal(new PrunedRowCounts(0, 2.5), counts);
        Assert.Equal(0.0, counts.Ratio);

        // Nothing pruned: no pruned median, no ratio (the study's JSON writes null).
        PrunedRowCounts none = PrunedRowCounts.Of(new RowMask(layout, 4, new float[layout.TotalRows * 4], null, RowThreshold.None, PrunedRows.Zero, [],
            [1, 1, 1, 1, 1, 1, 1]), lookups);
        Assert.Null(none.PrunedMedian);
        Assert.Equal(1.0, none.KeptMedian); // 0, 0, 1, 1, 2, 3, 3
        Assert.Null(none.Ratio);
    }
}
