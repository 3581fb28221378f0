using Clickwise.Features;

namespace Clickwise.Models;

/// <summary>
/// The memory a model will need, from its config alone, so that a size that cannot fit is refused in a millisecond
/// instead of after seconds of allocating and initialising (an embedding of 100,000 took 38 s to fail). It counts the
/// dominant terms — the lookup table, the DNN's weights, full-rank cross layers, each with its gradient and two
/// optimizer moments, and a batch of activations — so it is an estimate from below, not a bound.
/// </summary>
public static class ModelFootprint
{
    private const int FloatBytes = sizeof(float), CopiesWhileTraining = 4; // value, gradient, two Adam moments

    /// <summary>Bytes of training <paramref name="config"/> over <paramref name="layout"/> in batches of <paramref name="batchSize"/>.</summary>
    public static double TrainingBytes(ModelConfig config, FeatureLayout layout, int batchSize)
    {
        (double parameters, double activations) = Floats(config, layout, batchSize);
        return FloatBytes * ((parameters * CopiesWhileTraining) + (activations * 2));
    }

    /// <summary>Refuses (<see cref="ModelTooLargeException"/>) a model whose one tensor exceeds an array, or whose training exceeds this process's memory.</summary>
    public static void Check(ModelConfig config, FeatureLayout layout, int batchSize)
    {
        int f = layout.FieldCount;
        double flat = (double)f * config.EmbeddingDim;
        int first = config.HasDnn && config.HiddenUnits.Length > 0 ? config.HiddenUnits[0] : 1;
        // The compiled plan holds a row's activations of every layer side by side, for batches of up to Scoring.BatchSize rows.
        double planRow = flat + (config.HasDnn ? config.HiddenUnits.Sum(h => (double)h) : 0);
        double largest = new[]
        {
            TableFloats(config, layout), flat * first, flat * batchSize, (double)batchSize * config.HiddenUnits.DefaultIfEmpty(1).Max(),
            planRow * Math.Max(batchSize, Runs.Scoring.BatchSize),
        }.Max();
        if (largest > Array.MaxLength)
        {
            throw new ModelTooLargeException($"{Describe(config, layout)} does not fit: a tensor would hold {largest:E1} values, more than one array can (2^31)");
        }

        double needed = TrainingBytes(config, layout, batchSize);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw new ModelTooLargeException($"{Describe(config, layout)} needs about {needed / (1 << 30):F1} GiB to train in batches of {batchSize:N0}, "
                + $"more than the {available / (double)(1 << 30):F1} GiB this process may use");
        }
    }

    private static (double Parameters, double Activations) Floats(ModelConfig config, FeatureLayout layout, int batchSize)
    {
        double flat = (double)layout.FieldCount * config.EmbeddingDim;
        double parameters = TableFloats(config, layout);
        double activations = batchSize * flat;
        if (config.HasDnn && config.HiddenUnits.Length > 0)
        {
            double input = flat;
            foreach (int units in config.HiddenUnits)
            {
                parameters += input * units;
                activations += (double)batchSize * units;
                input = units;
            }
        }

        // Full-rank cross layers hold a (F·D)² matrix each (GDCN two): x₀ ⊙ (x_l W_l + b_l).
        if (config.Name is "dcnv2" or "gdcn" && config.Options is CrossOptions { CrossLayers: var layers } cross && cross is not DcnV2Options { CrossRank: > 0 })
        {
            parameters += (config.Name == "gdcn" ? 2 : 1) * layers * flat * flat;
        }

        return (parameters, activations);
    }

    /// <summary>The lookup table: one row per id, a vector per field for FFM.</summary>
    private static double TableFloats(ModelConfig config, FeatureLayout layout) =>
        (double)layout.TotalRows * config.EmbeddingDim * (config.Name == "ffm" ? layout.FieldCount : 1);

    private static string Describe(ModelConfig config, FeatureLayout layout) =>
        $"{config.Name} with embedding_dim {config.EmbeddingDim} and hidden_units [{string.Join(", ", config.HiddenUnits)}] over {layout.TotalRows:N0} table rows";
}
