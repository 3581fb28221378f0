using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

public sealed class RowGradientTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(int.MaxValue - 40)] // clears cross the limit where the bases start over
    public void EveryStepSeesOnlyItsOwnRowsZeroedOnFirstTouch(int firstBase)
    {
        var gradient = new RowGradient(10, 2, 4, firstBase);
        for (int step = 0; step < 40; step++)
        {
            int a = step % 10, b = (step * 3 + 1) % 10;
            gradient.Row(a)[0] += 1f;
            int[] slots = new int[3];
            gradient.Register([b, a, b], slots);
            gradient.Slot(slots[0])[1] += 2f;
            gradient.Slot(slots[2])[1] += 2f;
            Assert.Equal(a == b ? 1 : 2, gradient.Count);
            Assert.Equal(a, gradient.Rows[0]);
            Assert.Equal(1f, gradient.Row(a)[0]);
            Assert.Equal(a == b ? 4f : 0f, gradient.Row(a)[1]);
            Assert.Equal(4f, gradient.Row(b)[1]);
            gradient.Clear();
            Assert.Equal(0, gradient.Count);
        }
    }

    [Fact]
    public void AStepTouchingMoreRowsThanPlannedGrowsKeepingItsSums()
    {
        // Planned for 2 rows (a one-hot step's B·F); a multi-hot step touches 5, and the next steps see only their own.
        var gradient = new RowGradient(10, 2, 2);
        int[] slots = new int[6];
        gradient.Register([3, 7, 3, 1, 8, 9], slots);
        Assert.Equal([0, 1, 0, 2, 3, 4], slots);
        for (int i = 0; i < slots.Length; i++)
        {
            gradient.Slot(slots[i])[0] += i + 1;
        }

        Assert.Equal(5, gradient.Count);
        Assert.Equal([3, 7, 1, 8, 9], gradient.Rows.AsSpan(0, 5).ToArray());
        Assert.Equal([4f, 0f, 2f, 0f, 4f, 0f, 5f, 0f, 6f, 0f], gradient.Values.AsSpan(0, 10).ToArray());
        for (int step = 0; step < 3; step++)
        {
            gradient.Clear();
            gradient.Register([9, 2], slots);
            Assert.Equal([0, 1], slots.AsSpan(0, 2).ToArray());
            Assert.Equal(2, gradient.Count);
            Assert.Equal(0f, gradient.Row(9)[0]);
        }

        // Growth stops at the table's rows, which no step can exceed.
        gradient.Clear();
        gradient.Register([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0], new int[11]);
        Assert.Equal(10, gradient.Count);
        Assert.Equal(10, gradient.Rows.Length);
    }
}
