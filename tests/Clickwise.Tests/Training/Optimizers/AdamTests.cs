using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Training.Optimizers;

namespace Clickwise.Tests.Training.Optimizers;

public sealed class AdamTests
{
    private static readonly OptimizerSettings Settings = new() { LearningRate = 0.01, L2Net = 0.1, L2Embedding = 0.5 };

    [Fact]
    public void FirstDenseStepMovesEachWeightByLrTimesSignOfDecayedGradient()
    {
        // At t = 1 the bias-corrected moments are g' and g'², so the step is lr·g'/(|g'| + ε) with g' = g + λw.
        Parameter p = Parameter.Dense("w", ParameterRole.DenseWeight, 3);
        float[] w0 = [0.5f, -1f, 2f];
        w0.CopyTo(p.Value, 0);
        float[] g = [0.1f, 0.2f, -0.3f];
        g.CopyTo(p.Grad!, 0);
        new Adam(Settings).Step(Set(p));

        for (int i = 0; i < 3; i++)
        {
            double decayed = g[i] + 0.1 * w0[i];
            double expected = w0[i] - 0.01 * decayed / (Math.Abs(decayed) + 1e-8);
            Assert.Equal(expected, p.Value[i], 6);
        }

        Assert.Equal([0.49f, -1.01f, 2.01f], p.Value.Select(v => MathF.Round(v, 5)).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    public void ThreeDenseStepsMatchScalarPyTorchFormulaExactly(int length)
    {
        Parameter p = Parameter.Dense("w", ParameterRole.DenseWeight, length);
        var random = new Random(length);
        float[] w = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        w.CopyTo(p.Value, 0);
        float[] m = new float[length], v = new float[length];
        var adam = new Adam(Settings);
        for (int t = 1; t <= 3; t++)
        {
            float[] g = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            g.CopyTo(p.Grad!, 0);
            adam.Step(Set(p));
            float stepSize = (float)(0.01 / (1 - Math.Pow(0.9, t)));
            float bc2 = (float)Math.Sqrt(1 - Math.Pow(0.999, t));
            for (int i = 0; i < length; i++)
            {
                float gi = g[i] + 0.1f * w[i];
                m[i] = 0.9f * m[i] + (float)(1 - 0.9) * gi;
                v[i] = 0.999f * v[i] + (float)(1 - 0.999) * gi * gi;
                w[i] = w[i] - stepSize * m[i] / (MathF.Sqrt(v[i]) / bc2 + 1e-8f);
            }
        }

        Assert.Equal(w, p.Value);
        Assert.Equal(3, adam.StateOf(p).Steps);
    }

    [Fact]
    public void LazyRowStepUpdatesOnlyTouchedRowsWithTheirOwnStepCounts()
    {
        Parameter table = Parameter.RowSparse("emb", ParameterRole.Embedding, 4, 3).PrepareRowGradient(4);
        Fill(table.Value, 1);
        float[] before = table.Value.ToArray();
        table.RowGrad!.Row(2)[1] = 0.25f;
        table.RowGrad.Row(0)[0] = -0.5f;
        var adam = new Adam(Settings);
        adam.Step(Set(table));

        OptimizerState state = adam.StateOf(table);
        Assert.Equal([1, 0, 1, 0], state.RowSteps!);
        for (int row = 0; row < 4; row++)
        {
            bool touched = row is 0 or 2;
            for (int d = 0; d < 3; d++)
            {
                int i = row * 3 + d;
                Assert.Equal(touched, table.Value[i] != before[i]);
                Assert.Equal(touched, state.Slots[1][i] != 0f);
            }
        }

        // Embedding rows decay with L2Embedding (0.5): a zero gradient element still moves by lr·sign(λw).
        Assert.Equal(before[1] - 0.01f * MathF.Sign(before[1]), table.Value[1], 6);
    }

    [Fact]
    public void RowSparseEqualsDenseWhenEveryRowIsTouchedEveryStep()
    {
        const int rows = 5, width = 19;
        Parameter dense = Parameter.Dense("w", ParameterRole.Embedding, rows, width);
        Parameter sparse = Parameter.RowSparse("w", ParameterRole.Embedding, rows, width).PrepareRowGradient(rows);
        Fill(dense.Value, 3);
        dense.Value.CopyTo(sparse.Value, 0);
        var denseAdam = new Adam(Settings);
        var sparseAdam = new Adam(Settings);
        StepSideBySide(dense, denseAdam, sparse, sparseAdam, seed: 11, _ => [3, 0, 4, 1, 2]);

        Assert.Equal(dense.Value, sparse.Value);
        Assert.Equal(denseAdam.StateOf(dense).Slots[0], sparseAdam.StateOf(sparse).Slots[0]);
        Assert.Equal(denseAdam.StateOf(dense).Slots[1], sparseAdam.StateOf(sparse).Slots[1]);
        Assert.All(sparseAdam.StateOf(sparse).RowSteps!, t => Assert.Equal(4, t));
    }

    [Fact]
    public void RowFirstTouchedLateGetsAFirstStepBiasCorrection()
    {
        // Row 0 is touched at steps 1..3, row 1 only at step 3: its update must equal a fresh Adam's first step.
        Parameter table = Parameter.RowSparse("emb", ParameterRole.Embedding, 2, 4).PrepareRowGradient(2);
        Fill(table.Value, 5);
        float[] row1Before = table.Value.AsSpan(4, 4).ToArray();
        float[] row1Grad = [0.3f, -0.2f, 0.1f, 0.05f];
        var adam = new Adam(Settings);
        StepTouchingRow1AtStep3(adam, table, row1Grad);

        Assert.Equal([3, 1], adam.StateOf(table).RowSteps!);
        Parameter fresh = Parameter.Dense("emb", ParameterRole.Embedding, 4);
        row1Before.CopyTo(fresh.Value, 0);
        row1Grad.CopyTo(fresh.Grad!, 0);
        new Adam(Settings).Step(Set(fresh));
        Assert.Equal(fresh.Value, table.Value.AsSpan(4, 4).ToArray());
    }

    [Fact]
    public void DenseModeEqualsDenseAdamWithZeroGradientsOnUntouchedRows()
    {
        // torch.optim.Adam on an embedding: untouched rows have g = 0 (+ λw), so their moments decay and they still move.
        const int rows = 600, width = 3;
        Parameter dense = Parameter.Dense("w", ParameterRole.Embedding, rows, width);
        Parameter table = Parameter.RowSparse("w", ParameterRole.Embedding, rows, width).PrepareRowGradient(rows);
        Fill(dense.Value, 4);
        dense.Value.CopyTo(table.Value, 0);
        var denseAdam = new Adam(Settings);
        var tableAdam = new Adam(Settings with { AdamMode = AdamMode.Dense });
        // Runs of untouched rows longer than one call's zeros (256 rows), single gaps, and the last row.
        StepSideBySide(dense, denseAdam, table, tableAdam, seed: 12, step => [599, 3 + step, 1, 2, 590 - step, 297]);

        Assert.Equal(dense.Value, table.Value);
        Assert.Equal(denseAdam.StateOf(dense).Slots[0], tableAdam.StateOf(table).Slots[0]);
        Assert.Equal(denseAdam.StateOf(dense).Slots[1], tableAdam.StateOf(table).Slots[1]);
        Assert.Equal(4, tableAdam.StateOf(table).Steps);
        Assert.Null(tableAdam.StateOf(table).RowSteps);
    }

    [Fact]
    public void SparseModeCorrectsARowFirstTouchedLateByTheTableStepCount()
    {
        // SparseAdam: row 1 first touched at step 3 has m = (1−β1)g, v = (1−β2)g², and moves
        // lr·√(1−β2³)/(1−β1³) · m/(√v + ε); untouched rows and their moments stay as they are.
        var settings = new OptimizerSettings { LearningRate = 0.01, AdamMode = AdamMode.Sparse };
        Parameter table = Parameter.RowSparse("emb", ParameterRole.Embedding, 3, 4).PrepareRowGradient(3);
        Fill(table.Value, 6);
        float[] row1Before = table.Value.AsSpan(4, 4).ToArray(), row2Before = table.Value.AsSpan(8, 4).ToArray();
        float[] row1Grad = [0.3f, -0.2f, 1e-7f, 0.05f];
        var adam = new Adam(settings);
        StepTouchingRow1AtStep3(adam, table, row1Grad);

        double stepSize = 0.01 * Math.Sqrt(1 - Math.Pow(0.999, 3)) / (1 - Math.Pow(0.9, 3));
        for (int d = 0; d < 4; d++)
        {
            double g = row1Grad[d], m = 0.1 * g, v = 0.001 * g * g;
            Assert.Equal(row1Before[d] - stepSize * m / (Math.Sqrt(v) + 1e-8), table.Value[4 + d], 6);
        }

        Assert.Equal(row2Before, table.Value.AsSpan(8, 4).ToArray());
        Assert.All(adam.StateOf(table).Slots[1].AsSpan(8, 4).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(3, adam.StateOf(table).Steps);
        Assert.Null(adam.StateOf(table).RowSteps);
    }

    [Theory]
    [InlineData(AdamMode.Lazy)]
    [InlineData(AdamMode.Dense)]
    [InlineData(AdamMode.Sparse)]
    public void ExportedStateResumesBitIdentically(AdamMode mode)
    {
        Parameter a = Parameter.RowSparse("emb", ParameterRole.Embedding, 3, 2).PrepareRowGradient(3);
        Parameter b = Parameter.Dense("w", ParameterRole.DenseWeight, 5);
        ParameterSet set = Set(a, b);
        Fill(a.Value, 8);
        Fill(b.Value, 9);
        var first = new Adam(Settings with { AdamMode = mode });
        for (int step = 0; step < 3; step++)
        {
            Gradients(set, step);
            first.Step(set);
        }

        float[][] weights = set.Select(p => p.Value.ToArray()).ToArray();
        var second = new Adam(Settings with { AdamMode = mode });
        second.ImportState(set, first.ExportState(set).ToList());
        Gradients(set, 3);
        first.Step(set);
        float[][] expected = set.Select(p => p.Value.ToArray()).ToArray();

        for (int i = 0; i < weights.Length; i++)
        {
            weights[i].CopyTo(set[i].Value, 0);
        }

        Gradients(set, 3);
        second.Step(set);
        Assert.Equal(expected[0], a.Value);
        Assert.Equal(expected[1], b.Value);
        Assert.Equal(first.StateOf(a).RowSteps, second.StateOf(a).RowSteps);
        Assert.Equal(first.StateOf(a).Steps, second.StateOf(a).Steps);
    }

    /// <summary>Three steps touching row 0 each time and row 1 (with <paramref name="row1Grad"/>) only at the third.</summary>
    private static void StepTouchingRow1AtStep3(Adam adam, Parameter table, float[] row1Grad)
    {
        for (int step = 1; step <= 3; step++)
        {
            table.ZeroGrad();
            table.RowGrad!.Row(0)[2] = 0.1f * step;
            if (step == 3)
            {
                row1Grad.CopyTo(table.RowGrad.Row(1));
            }

            adam.Step(Set(table));
        }
    }

    /// <summary>
    /// Four steps of a dense parameter and a row-sparse table of its shape, with the same random gradient on the rows
    /// <paramref name="touched"/> names for each step and zero elsewhere.
    /// </summary>
    private static void StepSideBySide(Parameter dense, Adam denseAdam, Parameter table, Adam tableAdam, int seed, Func<int, int[]> touched)
    {
        int width = table.RowWidth;
        var random = new Random(seed);
        for (int step = 0; step < 4; step++)
        {
            table.ZeroGrad();
            dense.ZeroGrad();
            foreach (int row in touched(step))
            {
                Span<float> g = table.RowGrad!.Row(row);
                for (int d = 0; d < width; d++)
                {
                    g[d] = (float)random.NextDouble() - 0.5f;
                    dense.Grad![row * width + d] = g[d];
                }
            }

            denseAdam.Step(Set(dense));
            tableAdam.Step(Set(table));
        }
    }

    internal static ParameterSet Set(params Parameter[] parameters)
    {
        var set = new ParameterSet();
        foreach (Parameter p in parameters)
        {
            set.Add(p);
        }

        return set;
    }

    internal static void Fill(float[] values, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble() * 2 - 1;
        }
    }

    private static void Gradients(ParameterSet set, int step)
    {
        set.ZeroGrad();
        var random = new Random(100 + step);
        foreach (Parameter p in set)
        {
            if (p.RowGrad is { } rows)
            {
                rows.Row(step % p.RowCount)[0] = (float)random.NextDouble() - 0.5f;
            }
            else
            {
                Fill(p.Grad!, 100 + step);
            }
        }
    }
}

public sealed class AdamThreadingTests
{
    [Theory]
    [InlineData(AdamMode.Lazy)]
    [InlineData(AdamMode.Dense)]
    [InlineData(AdamMode.Sparse)]
    public void SplittingLargeUpdatesAcrossThreadsGivesTheSameBits(AdamMode mode)
    {
        float[][] Run(int threads)
        {
            Parameter dense = Parameter.Dense("w", ParameterRole.DenseWeight, 300_001);
            Parameter table = Parameter.RowSparse("emb", ParameterRole.Embedding, 60_000, 10).PrepareRowGradient(50_000);
            ParameterSet set = AdamTests.Set(dense, table);
            AdamTests.Fill(dense.Value, 1);
            AdamTests.Fill(table.Value, 2);
            var adam = new Adam(new OptimizerSettings { L2Net = 1e-3, L2Embedding = 1e-2, AdamMode = mode }, ComputeContext.Default with { Threads = threads });
            for (int step = 0; step < 2; step++)
            {
                set.ZeroGrad();
                AdamTests.Fill(dense.Grad!, 10 + step);
                for (int r = 0; r < 50_000; r++)
                {
                    table.RowGrad!.Row((r * 7 + step) % 60_000)[r % 10] = r * 1e-5f;
                }

                adam.Step(set);
            }

            return [dense.Value, table.Value];
        }

        float[][] one = Run(1), two = Run(2);
        Assert.Equal(one[0], two[0]);
        Assert.Equal(one[1], two[1]);
    }
}
