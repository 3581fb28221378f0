namespace Clickwise.Inference;

/// <summary>
/// The columns of a plan region over OptEmbed's searched widths D_f: F field blocks of <see cref="Lead"/> + D columns (a
/// lead such as FNN's first-order weight, then the embedding, zero past D_f), then <see cref="Extra"/> columns of other
/// signals (PNN's products). A dense layer y = x·W + b over it equals x′·W′ + b with x′ the live columns packed and W′
/// the rows of W they meet: the rows of the removed dimensions only ever multiply zeros, so <see cref="Trim"/> drops
/// them exactly.
/// </summary>
internal sealed record FieldWidthEmbeddings(int[] FieldDims, int Dim, int Lead = 0, int Extra = 0)
{
    /// <summary>The live columns: Σ_f (lead + D_f) and the extra ones.</summary>
    public int PackedWidth => FieldDims.Sum() + (FieldDims.Length * Lead) + Extra;

    /// <summary>Whether any field is narrower than D (otherwise there is nothing to drop).</summary>
    public bool Narrows => FieldDims.Any(d => d < Dim);

    /// <summary>W′ [<see cref="PackedWidth"/>, out] from W [F·(lead + D) + extra, out] (row-major, [in, out]).</summary>
    public float[] Trim(float[] weight, int outputs)
    {
        int block = Lead + Dim;
        var trimmed = new float[PackedWidth * outputs];
        int to = 0;
        for (int f = 0; f < FieldDims.Length; f++)
        {
            int live = (Lead + FieldDims[f]) * outputs;
            weight.AsSpan(f * block * outputs, live).CopyTo(trimmed.AsSpan(to));
            to += live;
        }

        weight.AsSpan(FieldDims.Length * block * outputs, Extra * outputs).CopyTo(trimmed.AsSpan(to));
        return trimmed;
    }
}
