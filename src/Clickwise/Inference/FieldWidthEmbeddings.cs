namespace Clickwise.Inference;

/// <summary>
/// A plan region e [B, F, D] whose field f is zero past its width D_f (OptEmbed's searched widths). A dense layer
/// y = e·W + b over it equals e′·W′ + b with e′ [B, Σ D_f] the packed dimensions and W′ the rows of W they meet: the rows
/// of the removed dimensions only ever multiply zeros, so <see cref="Trim"/> drops them exactly.
/// </summary>
internal sealed record FieldWidthEmbeddings(int[] FieldDims, int Dim)
{
    public int PackedWidth => FieldDims.Sum();

    /// <summary>Whether any field is narrower than D (otherwise there is nothing to drop).</summary>
    public bool Narrows => FieldDims.Any(d => d < Dim);

    /// <summary>W′ [Σ D_f, out] from W [F·D, out] (row-major, [in, out]).</summary>
    public float[] Trim(float[] weight, int outputs)
    {
        var trimmed = new float[PackedWidth * outputs];
        int to = 0;
        for (int f = 0; f < FieldDims.Length; f++)
        {
            weight.AsSpan(f * Dim * outputs, FieldDims[f] * outputs).CopyTo(trimmed.AsSpan(to));
            to += FieldDims[f] * outputs;
        }

        return trimmed;
    }
}
