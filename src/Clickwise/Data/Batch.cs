using Clickwise.Kernels;

namespace Clickwise.Data;

/// <summary>
/// One mini-batch in the engine's layout. Shapes (docs/terminology.md): ids [B, F] are global embedding rows
/// (the field's offset already added, see <see cref="Features.FeatureLayout"/>), values [B, F] scale the
/// embeddings (1 for one-hot categorical data, so <see cref="HasValues"/> is false and values are not read),
/// labels [B] are 0 or 1. A multi-hot field's further features are in <see cref="Extras"/> (its first feature in ids and
/// values), empty for one-hot data. Buffers are sized for <see cref="Capacity"/> rows and reused across steps.
/// </summary>
public sealed class Batch
{
    public Batch(int capacity, int fieldCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldCount, 1);
        Capacity = capacity;
        FieldCount = fieldCount;
        Ids = new int[capacity * fieldCount];
        Values = new float[capacity * fieldCount];
        Labels = new float[capacity];
        Extras = new ExtraFeatures(checked(capacity * fieldCount));
        Values.AsSpan().Fill(1f);
    }

    public int Capacity { get; }

    public int FieldCount { get; }

    /// <summary>Rows in use, at most <see cref="Capacity"/>.</summary>
    public int Count { get; set; }

    public bool HasValues { get; set; }

    public int[] Ids { get; }

    public float[] Values { get; }

    public float[] Labels { get; }

    /// <summary>The extra features of the rows' lookups, filled row by row with the ids; cleared by whoever refills the batch.</summary>
    public ExtraFeatures Extras { get; }

    /// <summary>The extra features of the <see cref="Count"/> rows in use (empty for a one-hot batch).</summary>
    public ExtraLookups ExtrasInUse
    {
        get
        {
            ExtraLookups all = Extras.InUse;
            return all.IsEmpty ? default : all.Slice(0, Count * FieldCount);
        }
    }

    public ReadOnlySpan<int> IdsInUse => Ids.AsSpan(0, Count * FieldCount);

    public ReadOnlySpan<float> ValuesInUse => Values.AsSpan(0, Count * FieldCount);

    public ReadOnlySpan<float> LabelsInUse => Labels.AsSpan(0, Count);
}
