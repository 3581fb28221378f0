using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

public sealed class CsrMatrixTests
{
    [Fact]
    public void KeepsRowStructure()
    {
        float[] w = [0f, 2f, 0f, 0f, 0f, 0f, 3f, 0f, 4f];
        CsrMatrix csr = CsrMatrix.FromDense(w, 3, 3);
        Assert.Equal([0, 1, 1, 3], csr.RowStart);
        Assert.Equal([1, 0, 2], csr.Column);
        Assert.Equal([2f, 3f, 4f], csr.Value);
        Assert.Equal(3 / 9.0, csr.Density, 12);
        Assert.Throws<ArgumentException>(() => CsrMatrix.FromDense(w, 2, 3));
    }
}
