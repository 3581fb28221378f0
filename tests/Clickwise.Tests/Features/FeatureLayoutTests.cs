using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class FeatureLayoutTests
{
    [Fact]
    public void OffsetsAreRunningSumsAndFieldOfInvertsThem()
    {
        var layout = new FeatureLayout(["a", "b", "c"], [3, 1, 5]);
        Assert.Equal([0, 3, 4], layout.Offsets);
        Assert.Equal(9, layout.TotalRows);
        int[] expected = [0, 0, 0, 1, 2, 2, 2, 2, 2];
        for (int row = 0; row < expected.Length; row++)
        {
            Assert.Equal(expected[row], layout.FieldOf(row));
        }
    }
}
