using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Inference;

/// <summary>Small models with every parameter (biases, pair weights, field vectors) perturbed, and random batches for them.</summary>
internal static class RandomModels
{
    /// <summary>Eight fields of uneven sizes: P = 28 pairs, enough to prune most of them.</summary>
    public static readonly FeatureLayout Layout = new(["a", "b", "c", "d", "e", "f", "g", "h"], [5, 9, 3, 7, 4, 11, 2, 6]);

    public static ModelConfig Config(string name, int embeddingDim = 5) => new()
    {
        Name = name,
        EmbeddingDim = embeddingDim, // 5 (odd) exercises the tails of every vector loop; 10 and 19 the 8-float paths
        HiddenUnits = [13, 7],
        Dropout = 0.4f, // must not act outside training
        Seed = 11,
    };

    /// <summary>A model whose parameters are all uniform in ±0.5 (±1 for dnn; seeded), so no term is trivially zero.</summary>
    public static CtrModel Create(string name, int maxBatchSize, int seed = 3, int embeddingDim = 5)
    {
        CtrModel model = ModelRegistry.Create(Config(name, embeddingDim), Layout).Prepared(maxBatchSize);
        var random = new SeededRandom(seed);
        // A DNN-only logit (dnn, fnn) passes through three ±0.5 layers that shrink its spread below what the tests call
        // informative; ±1 restores it. Models with a first- or second-order term spread enough through it.
        double bound = name is "dnn" or "fnn" ? 1.0 : 0.5;
        foreach (Parameter p in model.Parameters)
        {
            random.FillUniform(p.Value, bound);
        }

        return model;
    }

    /// <summary>A model of <paramref name="config"/> prepared for 200 rows, every parameter uniform in ±0.5 (seeded).</summary>
    public static CtrModel Perturbed(ModelConfig config, int seed)
    {
        CtrModel model = ModelRegistry.Create(config, Layout).Prepared(200);
        var random = new SeededRandom(seed);
        foreach (Parameter p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        return model;
    }

    /// <summary><paramref name="rows"/> random rows with feature values, as a batch source.</summary>
    public static InMemoryBatchSource Rows(int rows, int seed)
    {
        Batch batch = Batch(rows, withValues: true, seed);
        return new InMemoryBatchSource(batch.Ids[..(rows * batch.FieldCount)], batch.Values[..(rows * batch.FieldCount)], batch.Labels[..rows],
            batch.FieldCount);
    }

    /// <summary>A batch of random rows; with values, each feature is scaled by a value in [0.25, 2).</summary>
    public static Batch Batch(int count, bool withValues, int seed = 7)
    {
        var batch = new Batch(count, Layout.FieldCount) { Count = count, HasValues = withValues };
        var random = new SeededRandom(seed);
        for (int b = 0; b < count; b++)
        {
            for (int f = 0; f < Layout.FieldCount; f++)
            {
                int i = b * Layout.FieldCount + f;
                batch.Ids[i] = Layout.Offsets[f] + (int)(random.NextUInt64() % (ulong)Layout.Sizes[f]);
                if (withValues)
                {
                    batch.Values[i] = (float)random.NextUniform(0.25, 2.0);
                }
            }

            batch.Labels[b] = b % 3 == 0 ? 1f : 0f;
        }

        return batch;
    }

    /// <summary><see cref="Batch(int, bool, int)"/> with 0-3 more features in most (row, field) lookups, drawn from the field's ids.</summary>
    public static Batch MultiHotBatch(int count, bool withValues, int seed = 7)
    {
        Batch batch = Batch(count, withValues, seed);
        var random = new SeededRandom(seed + 1000);
        for (int n = 0; n < count * Layout.FieldCount; n++)
        {
            int f = n % Layout.FieldCount;
            for (int k = (int)(random.NextUInt64() % 4); k > 0; k--)
            {
                float value = withValues ? (float)random.NextUniform(0.25, 2.0) : 1f;
                batch.Extras.Add(Layout.Offsets[f] + (int)(random.NextUInt64() % (ulong)Layout.Sizes[f]), value);
            }

            batch.Extras.EndLookup();
        }

        return batch;
    }

    /// <summary>The training program's logits, dropout off.</summary>
    public static float[] ForwardLogits(CtrModel model, Batch batch)
    {
        float[] logits = new float[batch.Count];
        model.Forward(batch, logits, training: false);
        return logits;
    }

    /// <summary>Asserts |expected − actual| ≤ tol·max(1, |expected|) everywhere, naming the first row that differs.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, float tolerance = 2e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0f;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"{what}: row {i} is {actual[i]}");
            float error = MathF.Abs(expected[i] - actual[i]) / MathF.Max(1f, MathF.Abs(expected[i]));
            if (error > worst)
            {
                worst = error;
                worstAt = i;
            }
        }

        Assert.True(worst <= tolerance,
            $"{what}: row {worstAt} expected {(worstAt >= 0 ? expected[worstAt] : 0)} got {(worstAt >= 0 ? actual[worstAt] : 0)} (relative error {worst:G3})");
    }
}
