using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

public sealed class KernelMatVecTests
{
    public static TheoryData<string> FastVariants()
    {
        var data = new TheoryData<string>();
        foreach (IMatVec kernel in KernelRegistry.AllMatVec.Skip(1))
        {
            data.Add(kernel.Name);
        }

        return data;
    }

    [Fact]
    public void ReferenceComputesBiasedProductAndReLU()
    {
        // x = [1, 2], W = [[1, -3], [2, 1]] ([in, out]), b = [0.5, -1]: x·W + b = [5.5, -2].
        float[] y = new float[2];
        var reference = KernelRegistry.AllMatVec[0];
        reference.Multiply([1, 2], [1, -3, 2, 1], [0.5f, -1], y, 2, 2, relu: false);
        Assert.Equal([5.5f, -2f], y);
        reference.Multiply([1, 2], [1, -3, 2, 1], [0.5f, -1], y, 2, 2, relu: true);
        Assert.Equal([5.5f, 0f], y);
    }

    [Theory]
    [MemberData(nameof(FastVariants))]
    public void MatchesReferenceForOutputLengths0To257(string name)
    {
        IMatVec kernel = KernelRegistry.AllMatVec.Single(v => v.Name == name);
        for (int outputs = 0; outputs <= 257; outputs++)
        {
            Check(kernel, inputs: 1 + outputs % 19, outputs, bias: (outputs & 1) == 0, relu: (outputs & 2) == 0, outputs);
        }
    }

    [Theory]
    [MemberData(nameof(FastVariants))]
    public void MatchesReferenceOnLayerShapes(string name)
    {
        IMatVec kernel = KernelRegistry.AllMatVec.Single(v => v.Name == name);
        foreach ((int inputs, int outputs) in new[] { (0, 16), (390, 400), (400, 400), (400, 1), (17, 129), (257, 65) })
        {
            foreach (bool relu in new[] { false, true })
            {
                Check(kernel, inputs, outputs, bias: true, relu, inputs + outputs);
                Check(kernel, inputs, outputs, bias: false, relu, inputs * 3 + outputs);
            }
        }
    }

    private static void Check(IMatVec kernel, int inputs, int outputs, bool bias, bool relu, int seed)
    {
        float[] x = KernelData.Random(inputs, seed * 4 + 1);
        float[] w = KernelData.Random(inputs * outputs, seed * 4 + 2);
        float[] b = bias ? KernelData.Random(outputs, seed * 4 + 3) : [];
        float[] expected = new float[outputs];
        float[] actual = KernelData.Random(outputs, seed * 4 + 4);
        KernelRegistry.AllMatVec[0].Multiply(x, w, b, expected, inputs, outputs, relu);
        kernel.Multiply(x, w, b, actual, inputs, outputs, relu);
        KernelData.AssertClose(expected, actual, 1e-6 * (inputs + 1), 1e-5,
                               $"{kernel.Name} in={inputs} out={outputs} bias={bias} relu={relu}");
    }
}
