using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

public sealed class QuotientRemainderFieldsTests
{
    private static readonly FeatureLayout Layout = new(["a", "b", "c", "d"], [3, 10, 2, 7]);

    /// <summary>b (10 rows) and d (7) at m = 3: b keeps 4 quotient + 3 remainder rows after a's 3, d 3 + 3 after c's 2.</summary>
    [Fact]
    public void TheLargestFieldsTakeQuotientAndRemainderRowsInPlaceOfTheirOwn()
    {
        var fields = new QuotientRemainderFields(Layout, 3, 2, QrOperation.Multiply);
        Assert.Equal([1, 3], fields.Fields);
        Assert.Equal(3 + (4 + 3) + 2 + (3 + 3), fields.TableRows);
        int b = Layout.Offsets[1], d = Layout.Offsets[3];
        Assert.Equal([3, 3, 3, 4, 6], new[] { b, b + 1, b + 2, b + 3, b + 9 }.Select(id => fields.TableRow(1, id)));
        Assert.Equal([7, 8, 9, 7, 7], new[] { b, b + 1, b + 2, b + 3, b + 9 }.Select(id => fields.RemainderRow(1, id)));
        Assert.Equal([12, 13, 14, 15, 16, 17], new[] { d, d + 3, d + 6, d, d + 1, d + 2 }.Select((id, i) => i < 3 ? fields.TableRow(3, id) : fields.RemainderRow(3, id)));
        Assert.Equal(10, fields.TableRow(2, Layout.Offsets[2])); // c's own rows follow b's
    }

    [Fact]
    public void AMultiHotBatchIsRefusedNamingTheSetting()
    {
        ModelConfig config = Clickwise.Tests.Inference.RandomModels.Config("dcn") with { EmbeddingQrCollisions = 3, EmbeddingQrFields = 3 };
        CtrModel model = Clickwise.Tests.Inference.RandomModels.Perturbed(config, seed: 4);
        Clickwise.Data.Batch multiHot = Clickwise.Tests.Inference.RandomModels.MultiHotBatch(4, withValues: true, seed: 9);
        var error = Assert.Throws<NotSupportedException>(() => Clickwise.Tests.Inference.RandomModels.ForwardLogits(model, multiHot));
        Assert.Contains("embedding_qr_collisions needs one feature per field", error.Message);
    }

    [Theory]
    [InlineData(QrOperation.Multiply)]
    [InlineData(QrOperation.Add)]
    public void TheExpandedTableHoldsEveryFeaturesJoinedRow(QrOperation operation)
    {
        var fields = new QuotientRemainderFields(Layout, 4, 1, operation);
        const int Dim = 3;
        float[] table = Clickwise.Tests.Layers.GradientCheck.RandomWeights(fields.TableRows * Dim, 5);
        float[] full = fields.Expand(table, Dim);
        for (int id = 0; id < Layout.TotalRows; id++)
        {
            int f = Array.FindLastIndex(Layout.Offsets.ToArray(), o => o <= id);
            for (int k = 0; k < Dim; k++)
            {
                float own = table[fields.TableRow(f, id) * Dim + k];
                float expected = f != 1 ? own
                    : operation == QrOperation.Multiply ? own * table[fields.RemainderRow(f, id) * Dim + k] : own + table[fields.RemainderRow(f, id) * Dim + k];
                Assert.Equal(expected, full[id * Dim + k]);
            }
        }
    }

    /// <summary>The size-matched m is the nearest of every m (each with the fields it shrinks) to the asked rows.</summary>
    [Theory]
    [InlineData(20)]
    [InlineData(15)]
    [InlineData(8)]
    public void SizeMatchingPicksTheNearestTable(long rows)
    {
        (int m, int count) = QuotientRemainderFields.SizeMatched(Layout, rows)!.Value;
        long Rows(int collisions) => new QuotientRemainderFields(Layout, collisions, QuotientRemainderFields.ShrunkFields(Layout, collisions), QrOperation.Multiply).TableRows;
        Assert.Equal(QuotientRemainderFields.ShrunkFields(Layout, m), count);
        long best = Enumerable.Range(2, 8).Where(c => QuotientRemainderFields.ShrunkFields(Layout, c) > 0).Min(c => Math.Abs(Rows(c) - rows));
        Assert.Equal(best, Math.Abs(Rows(m) - rows));
        Assert.True(Rows(m) < Layout.TotalRows);
    }
}
