using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

/// <summary>FM sum-square and FwFM pair kernels against their references and hand-computed cases.</summary>
public sealed class KernelInteractionTests
{
    public static TheoryData<string> FastFM() => Names(KernelRegistry.AllFM.Skip(1).Select(k => k.Name));

    public static TheoryData<string> FastFFM() => Names(KernelRegistry.AllFFM.Skip(1).Select(k => k.Name));

    [Theory]
    [MemberData(nameof(FastFFM))]
    public void FFMMatchesTheReferenceOverFieldAndDimCounts(string name)
    {
        IFFMKernel kernel = KernelRegistry.AllFFM.Single(k => k.Name == name);
        const int B = 5, V = 11;
        foreach (int fields in new[] { 1, 2, 3, 7, 39 })
        {
            foreach (int dim in new[] { 1, 3, 4, 5, 8, 10, 16, 17, 27, 33 })
            {
                float[] table = KernelData.Random(V * fields * dim, fields * 100 + dim);
                int[] ids = [.. Enumerable.Range(0, B * fields).Select(k => (k * 7 + fields) % V)];
                float[] values = KernelData.Random(B * fields, dim);
                foreach (bool weighted in new[] { false, true })
                {
                    float[] expected = KernelData.Random(B, 3), actual = [.. expected];
                    ReadOnlySpan<float> x = weighted ? values : default;
                    KernelRegistry.AllFFM[0].AddRows(table, ids, x, fields, dim, 1, B, expected);
                    kernel.AddRows(table, ids, x, fields, dim, 1, B, actual);
                    KernelData.AssertClose(expected, actual, 1e-5 * fields * fields * dim, 1e-5, $"{name} F={fields} D={dim} weighted={weighted}");
                }
            }
        }
    }

    public static TheoryData<string> FastFwFM() => Names(KernelRegistry.AllFwFM.Skip(1).Select(k => k.Name));

    [Fact]
    public void ReferenceFMMatchesHandComputedPairs()
    {
        // B=1, F=3, D=2: pairs ⟨e0,e1⟩ + ⟨e0,e2⟩ + ⟨e1,e2⟩ = (1·3+2·4) + (1·5+2·6) + (3·5+4·6) = 11 + 17 + 39 = 67.
        float[] emb = [1, 2, 3, 4, 5, 6];
        float[] sum = new float[2];
        float[] y = new float[1];
        KernelRegistry.AllFM[0].Forward(emb, 1, 3, 2, sum, y);
        Assert.Equal([9f, 12f], sum);
        Assert.Equal(67f, y[0]);

        float[] dEmb = [1, 1, 1, 1, 1, 1];
        KernelRegistry.AllFM[0].Backward(emb, sum, [2f], 1, 3, 2, dEmb);
        // dE_f = 1 + 2·(sum − e_f)
        Assert.Equal([17f, 21f, 13f, 17f, 9f, 13f], dEmb);
    }

    [Fact]
    public void ReferenceFwFMMatchesHandComputedPairsAndReadsOnlyTheUpperTriangle()
    {
        // F=3, D=2, R upper = r01=1, r02=2, r12=3; the lower triangle holds junk that must be ignored.
        float[] emb = [1, 2, 3, 4, 5, 6];
        float[] r = [100, 1, 2, -100, 100, 3, -100, -100, 100];
        float[] y = new float[1];
        KernelRegistry.AllFwFM[0].Forward(emb, r, 1, 3, 2, y);
        Assert.Equal(1 * 11 + 2 * 17 + 3 * 39, y[0]);

        float[] dEmb = new float[6];
        float[] dR = new float[9];
        KernelRegistry.AllFwFM[0].Backward(emb, r, [2f], 1, 3, 2, dEmb, dR);
        // dE0 = 2·(1·e1 + 2·e2) = 2·(13, 16); dE1 = 2·(1·e0 + 3·e2); dE2 = 2·(2·e0 + 3·e1)
        Assert.Equal([26f, 32f, 32f, 40f, 22f, 32f], dEmb);
        Assert.Equal([0f, 22f, 34f, 0f, 0f, 78f, 0f, 0f, 0f], dR);
    }

    [Theory]
    [MemberData(nameof(FastFM))]
    public void FMMatchesReferenceForDims0To257AndFields0To40(string name)
    {
        IFMKernel kernel = KernelRegistry.AllFM.Single(k => k.Name == name);
        for (int dim = 0; dim <= 257; dim++)
        {
            CheckFM(kernel, batchSize: 3, fieldCount: 4, dim, seed: dim);
        }

        for (int fields = 0; fields <= 40; fields++)
        {
            CheckFM(kernel, batchSize: 5, fields, dim: 10, seed: 1000 + fields);
        }
    }

    [Theory]
    [MemberData(nameof(FastFwFM))]
    public void FwFMMatchesReferenceForFields0To45AndSeveralDims(string name)
    {
        IFwFMKernel kernel = KernelRegistry.AllFwFM.Single(k => k.Name == name);
        foreach (int dim in new[] { 0, 1, 10, 16, 20, 33 })
        {
            for (int fields = 0; fields <= 45; fields++)
            {
                CheckFwFM(kernel, batchSize: 3, fields, dim, seed: dim * 100 + fields);
            }
        }

        CheckFwFM(kernel, batchSize: 7, fieldCount: 39, dim: 10, seed: 7);
        // 4 register vectors (49..64 fields) and past them, where the axpy fallback takes over.
        foreach (int fields in new[] { 49, 57, 64, 65, 80 })
        {
            CheckFwFM(kernel, batchSize: 2, fields, dim: 10, seed: fields);
        }
    }

    [Theory]
    [MemberData(nameof(FastFwFM))]
    public void FwFMMatchesReferenceForBatchSizes0To257(string name)
    {
        // Lane kernels put samples in SIMD lanes: every partial last block must behave.
        IFwFMKernel kernel = KernelRegistry.AllFwFM.Single(k => k.Name == name);
        for (int batchSize = 0; batchSize <= 257; batchSize += batchSize < 40 ? 1 : 31)
        {
            CheckFwFM(kernel, batchSize, fieldCount: 5, dim: 3, seed: 5000 + batchSize);
        }

        CheckFwFM(kernel, batchSize: 257, fieldCount: 39, dim: 10, seed: 6000);
    }

    private static void CheckFM(IFMKernel kernel, int batchSize, int fieldCount, int dim, int seed)
    {
        IFMKernel reference = KernelRegistry.AllFM[0];
        float[] emb = KernelData.Random(batchSize * fieldCount * dim, seed);
        float[] expectedSum = new float[batchSize * dim], actualSum = new float[batchSize * dim];
        float[] expectedY = new float[batchSize], actualY = new float[batchSize];
        reference.Forward(emb, batchSize, fieldCount, dim, expectedSum, expectedY);
        kernel.Forward(emb, batchSize, fieldCount, dim, actualSum, actualY);
        string what = $"{kernel.Name} B={batchSize} F={fieldCount} D={dim}";
        KernelData.AssertClose(expectedSum, actualSum, 1e-5 * fieldCount, 1e-5, what + " sum");
        // y is a difference of two sums of squares: the error scales with their size (F·D), not with y.
        KernelData.AssertClose(expectedY, actualY, 2e-6 * fieldCount * fieldCount * (dim + 1), 1e-5, what + " y");

        float[] dY = KernelData.Random(batchSize, seed + 1);
        float[] expected = KernelData.Random(emb.Length, seed + 2);
        float[] actual = (float[])expected.Clone();
        reference.Backward(emb, expectedSum, dY, batchSize, fieldCount, dim, expected);
        kernel.Backward(emb, expectedSum, dY, batchSize, fieldCount, dim, actual);
        KernelData.AssertClose(expected, actual, 1e-5 * fieldCount, 1e-5, what + " dEmb");
    }

    private static void CheckFwFM(IFwFMKernel kernel, int batchSize, int fieldCount, int dim, int seed)
    {
        IFwFMKernel reference = KernelRegistry.AllFwFM[0];
        float[] emb = KernelData.Random(batchSize * fieldCount * dim, seed);
        float[] r = KernelData.Random(fieldCount * fieldCount, seed + 1);
        float[] expectedY = new float[batchSize], actualY = new float[batchSize];
        reference.Forward(emb, r, batchSize, fieldCount, dim, expectedY);
        kernel.Forward(emb, r, batchSize, fieldCount, dim, actualY);
        string what = $"{kernel.Name} B={batchSize} F={fieldCount} D={dim}";
        double scale = 1e-6 * fieldCount * fieldCount * (dim + 1);
        KernelData.AssertClose(expectedY, actualY, scale, 1e-5, what + " y");

        float[] dY = KernelData.Random(batchSize, seed + 2);
        float[] expectedDEmb = KernelData.Random(emb.Length, seed + 3), actualDEmb = (float[])expectedDEmb.Clone();
        float[] expectedDR = KernelData.Random(r.Length, seed + 4), actualDR = (float[])expectedDR.Clone();
        reference.Backward(emb, r, dY, batchSize, fieldCount, dim, expectedDEmb, expectedDR);
        kernel.Backward(emb, r, dY, batchSize, fieldCount, dim, actualDEmb, actualDR);
        KernelData.AssertClose(expectedDEmb, actualDEmb, scale, 1e-5, what + " dEmb");
        KernelData.AssertClose(expectedDR, actualDR, scale * batchSize, 1e-5, what + " dR");
    }

    private static TheoryData<string> Names(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (string name in names)
        {
            data.Add(name);
        }

        return data;
    }
}
