using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

public sealed unsafe class KernelSlicedEllTests
{
    private const int SliceWidth = SlicedEllMatrix.SliceWidth;

    public static TheoryData<string> Variants()
    {
        // The reference too: without AVX2 it is the only variant, and the theory needs a row.
        var data = new TheoryData<string>();
        foreach (ISlicedEllKernel kernel in KernelRegistry.AllSlicedEll)
        {
            data.Add(kernel.Name);
        }

        return data;
    }

    [Fact]
    public void ReferenceSumsEachLaneOverItsStepsThenAppliesRelu()
    {
        float[] input = [1, 2, 3];
        int[] sliceStart = [0, 2];
        int[] index = [0, 1, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0]; // step 0, then step 1, one entry per lane
        float[] value = [1, 1, -1, 0, 0, 0, 0, 0, 1, 0.5f, 0, 0, 0, 0, 0, 0];
        float[] initial = [0.5f, 0, 0, 0, 0, 0, 0, 0];
        float[] sums = new float[SliceWidth];
        fixed (float* x = input, v = value, init = initial, y = sums)
        fixed (int* s = sliceStart, i = index)
        {
            KernelRegistry.AllSlicedEll[0].SumSlices(x, s, i, v, 1, init, y, relu: true);
            Assert.Equal([4.5f, 3.5f, 0f, 0, 0, 0, 0, 0], sums); // 0.5 + 1 + 3; 2 + 1.5; max(−1, 0)
            Assert.Equal(14.5f, KernelRegistry.AllSlicedEll[0].Dot(x, x, 3, 0.5f));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void MatchesTheReferenceOverOddShapes(string name)
    {
        ISlicedEllKernel kernel = KernelRegistry.AllSlicedEll.Single(v => v.Name == name);
        ISlicedEllKernel reference = KernelRegistry.AllSlicedEll[0];
        var random = new Random(3);
        for (int slices = 0; slices <= 13; slices++)
        {
            int inputs = 1 + random.Next(257);
            int[] sliceStart = new int[slices + 1];
            for (int s = 0; s < slices; s++)
            {
                sliceStart[s + 1] = sliceStart[s] + random.Next(s % 4 == 3 ? 1 : 40); // some slices empty, odd step counts
            }

            int entries = sliceStart[slices] * SliceWidth;
            int[] index = [.. Enumerable.Range(0, entries).Select(_ => random.Next(inputs))];
            float[] value = KernelData.Random(entries, slices + 1);
            float[] input = KernelData.Random(inputs, slices + 2);
            float[] initial = KernelData.Random(Math.Max(1, slices * SliceWidth), slices + 3);
            foreach (bool relu in (bool[])[false, true])
            {
                foreach (bool withInitial in (bool[])[false, true])
                {
                    float[] expected = new float[slices * SliceWidth], actual = new float[slices * SliceWidth + 1];
                    fixed (float* x = input, v = value, init = initial, e = expected, a = actual)
                    fixed (int* s = sliceStart, i = index)
                    {
                        reference.SumSlices(x, s, i, v, slices, withInitial ? init : null, e, relu);
                        kernel.SumSlices(x, s, i, v, slices, withInitial ? init : null, a, relu);
                    }

                    KernelData.AssertClose(expected, actual.AsSpan(0, expected.Length), 1e-5, 1e-5,
                        $"{name} slices={slices} relu={relu} initial={withInitial}");
                    Assert.Equal(0f, actual[^1]); // nothing past the last slice
                }
            }
        }

        for (int count = 0; count <= 257; count++)
        {
            float[] x = KernelData.Random(count, count), w = KernelData.Random(count, count + 1);
            fixed (float* px = x, pw = w)
            {
                float expected = reference.Dot(px, pw, count, 0.25f), actual = kernel.Dot(px, pw, count, 0.25f);
                KernelData.AssertClose([expected], [actual], 1e-5, 1e-5, $"{name} dot count={count}");
            }
        }
    }
}
