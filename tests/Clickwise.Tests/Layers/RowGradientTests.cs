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
}
