using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

/// <summary>
/// Every optimizer-update variant against the reference over lengths 0..257 and at odd offsets (a row inside a
/// table): the same operations in the same order without FMA, so the bits are equal, not just close.
/// </summary>
public sealed class KernelOptimizerTests
{
    private static readonly AdamCoefficients Coefficients = new(L2: 1e-3f, Beta1: 0.9f, OneMinusBeta1: 0.1f, Beta2: 0.999f,
        OneMinusBeta2: 0.001f, StepSize: 0.01f, BiasCorrection2Sqrt: 0.0447f, Eps: 1e-8f);

    public static TheoryData<string> Variants()
    {
        var data = new TheoryData<string>();
        // The reference too: without SIMD it is the only variant, and the theory needs a row.
        foreach (IOptimizerKernel kernel in KernelRegistry.AllOptimizer)
        {
            data.Add(kernel.Name);
        }

        return data;
    }

    [Fact]
    public void ReferenceAdamStepMatchesTheFormula()
    {
        float[] w = [0.5f], m = [0.2f], v = [0.04f];
        KernelRegistry.AllOptimizer[0].Adam(w, [0.3f], m, v, Coefficients);
        float g = 0.3f + 1e-3f * 0.5f;
        float mNew = 0.9f * 0.2f + 0.1f * g, vNew = 0.999f * 0.04f + 0.001f * g * g;
        Assert.Equal(mNew, m[0]);
        Assert.Equal(vNew, v[0]);
        Assert.Equal(0.5f - 0.01f * mNew / (MathF.Sqrt(vNew) / 0.0447f + 1e-8f), w[0]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryUpdateEqualsTheReferenceForLengths0To257AtAnyOffset(string name)
    {
        IOptimizerKernel kernel = KernelRegistry.AllOptimizer.Single(v => v.Name == name);
        IOptimizerKernel reference = KernelRegistry.AllOptimizer[0];
        for (int length = 0; length <= 257; length += length < 40 ? 1 : 7)
        {
            int offset = length % 5; // rows start anywhere in a table
            int total = offset + length;
            float[] g = KernelData.Random(total, length + 1);
            float[] w = KernelData.Random(total, length + 2);
            float[] slot1 = KernelData.Random(total, length + 3);
            float[] slot2 = KernelData.Random(total, length + 4, 0.5f);
            for (int i = 0; i < total; i++)
            {
                slot2[i] = Math.Abs(slot2[i]); // v, the Adagrad sum and the FTRL n are sums of squares
            }

            Compare(length, "adam", (k, a) => k.Adam(Row(a[0]), Row(g), Row(a[1]), Row(a[2]), Coefficients), w, slot1, slot2);
            Compare(length, "adagrad", (k, a) => k.Adagrad(Row(a[0]), Row(g), Row(a[2]), 0.05f, 1e-4f, 1e-10f), w, slot1, slot2);
            Compare(length, "sgd", (k, a) => k.Sgd(Row(a[0]), Row(g), 0.05f, 1e-4f), w, slot1, slot2);
            Compare(length, "ftrl", (k, a) => k.Ftrl(Row(a[0]), Row(g), Row(a[1]), Row(a[2]), 0.05f, 1f, 0.3f, 1e-3f), w, slot1, slot2);

            Span<float> Row(float[] array) => array.AsSpan(offset, length);
        }

        void Compare(int length, string update, Action<IOptimizerKernel, float[][]> step, params float[][] state)
        {
            float[][] expected = [.. state.Select(a => a.ToArray())];
            float[][] actual = [.. state.Select(a => a.ToArray())];
            for (int repeat = 0; repeat < 3; repeat++)
            {
                step(reference, expected);
                step(kernel, actual);
            }

            for (int i = 0; i < state.Length; i++)
            {
                Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{name} {update} length {length}: array {i} differs");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void LazyRowUpdatesEqualEachRowUpdatedAloneAdamWithItsOwnStepCount(string name)
    {
        IOptimizerKernel kernel = KernelRegistry.AllOptimizer.Single(v => v.Name == name);
        IOptimizerKernel reference = KernelRegistry.AllOptimizer[0];
        float[] stepSizes = [0f, 0.1f, 0.06f, 0.04f, 0.03f, 0.02f];
        float[] bc2Sqrt = [0f, 0.03f, 0.045f, 0.055f, 0.063f, 0.07f];
        foreach (int width in new[] { 1, 7, 10, 16, 33 })
        {
            const int tableRows = 50;
            int[] rows = [.. Enumerable.Range(0, 40).Select(k => k * 37 % tableRows)]; // scattered, each once
            float[] grads = KernelData.Random(rows.Length * width, width);
            float[] w = KernelData.Random(tableRows * width, width + 1);
            float[] m = KernelData.Random(tableRows * width, width + 2);
            float[] v = [.. KernelData.Random(tableRows * width, width + 3).Select(Math.Abs)];
            int[] steps = [.. Enumerable.Range(0, tableRows).Select(r => r % 4)];

            float[] we = [.. w], me = [.. m], ve = [.. v];
            int[] se = [.. steps];
            for (int k = 0; k < rows.Length; k++)
            {
                int start = rows[k] * width, t = ++se[rows[k]];
                reference.Adam(we.AsSpan(start, width), grads.AsSpan(k * width, width), me.AsSpan(start, width),
                    ve.AsSpan(start, width), Coefficients with { StepSize = stepSizes[t], BiasCorrection2Sqrt = bc2Sqrt[t] });
            }

            kernel.AdamRows(w, m, v, steps, rows, grads, width, Coefficients, stepSizes, bc2Sqrt);
            Assert.Equal(se, steps);
            Assert.True(we.AsSpan().SequenceEqual(w), $"{name} width {width}: w differs");
            Assert.True(me.AsSpan().SequenceEqual(m), $"{name} width {width}: m differs");
            Assert.True(ve.AsSpan().SequenceEqual(v), $"{name} width {width}: v differs");

            // Without per-row counts (SparseAdam) every row takes the coefficients as given.
            for (int k = 0; k < rows.Length; k++)
            {
                int start = rows[k] * width;
                reference.Adam(we.AsSpan(start, width), grads.AsSpan(k * width, width), me.AsSpan(start, width), ve.AsSpan(start, width), Coefficients);
            }

            kernel.AdamRows(w, m, v, [], rows, grads, width, Coefficients, [], []);
            Assert.True(we.AsSpan().SequenceEqual(w), $"{name} width {width}: w differs at the table's step");
            Assert.True(me.AsSpan().SequenceEqual(m), $"{name} width {width}: m differs at the table's step");
            Assert.True(ve.AsSpan().SequenceEqual(v), $"{name} width {width}: v differs at the table's step");

            for (int k = 0; k < rows.Length; k++)
            {
                int start = rows[k] * width;
                reference.Adagrad(we.AsSpan(start, width), grads.AsSpan(k * width, width), ve.AsSpan(start, width), 0.05f, 1e-4f, 1e-10f);
            }

            kernel.AdagradRows(w, v, rows, grads, width, 0.05f, 1e-4f, 1e-10f);
            Assert.True(we.AsSpan().SequenceEqual(w), $"{name} width {width}: Adagrad w differs");
            Assert.True(ve.AsSpan().SequenceEqual(v), $"{name} width {width}: Adagrad sum differs");
        }
    }

    [Fact]
    public void LazyRowUpdatesRejectARowOutsideTheTableBeforeWritingIt()
    {
        foreach (IOptimizerKernel kernel in KernelRegistry.AllOptimizer)
        {
            float[] w = new float[20];
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                kernel.AdamRows(w, new float[20], new float[20], new int[2], [2], new float[10], 10, Coefficients, [0f, 1f], [0f, 1f]));
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                kernel.AdamRows(w, new float[20], new float[20], [], [2], new float[10], 10, Coefficients, [], []));
            Assert.All(w, x => Assert.Equal(0f, x));
            Assert.Throws<ArgumentException>(() =>
                kernel.AdamRows(w, new float[20], new float[20], new int[3], [0], new float[10], 10, Coefficients, [0f, 1f], [0f, 1f]));
            Assert.Throws<ArgumentException>(() =>
                kernel.AdamRows(w, new float[20], new float[20], new int[2], [0, 1], new float[10], 10, Coefficients, [0f, 1f], [0f, 1f]));
            Assert.Throws<ArgumentOutOfRangeException>(() => kernel.AdagradRows(w, new float[20], [2], new float[10], 10, 0.1f, 0f, 1e-10f));
            Assert.All(w, x => Assert.Equal(0f, x));
            Assert.Throws<ArgumentException>(() => kernel.AdagradRows(w, new float[20], [0], new float[9], 10, 0.1f, 0f, 1e-10f));
        }
    }

    [Fact]
    public void EveryVariantRejectsSpansOfDifferentLengths()
    {
        foreach (IOptimizerKernel kernel in KernelRegistry.AllOptimizer)
        {
            Assert.Throws<ArgumentException>(() => kernel.Adam(new float[3], new float[3], new float[3], new float[2], Coefficients));
            Assert.Throws<ArgumentException>(() => kernel.Adagrad(new float[3], new float[2], new float[3], 0.1f, 0f, 1e-10f));
            Assert.Throws<ArgumentException>(() => kernel.Sgd(new float[3], new float[4], 0.1f, 0f));
            Assert.Throws<ArgumentException>(() => kernel.Ftrl(new float[3], new float[3], new float[3], new float[1], 0.1f, 1f, 0f, 0f));
        }
    }
}
