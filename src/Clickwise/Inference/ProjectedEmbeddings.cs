namespace Clickwise.Inference;

/// <summary>
/// A plan region e [B, F, t] computed as e_f = c_f·W_f + b_f from compressed embeddings c [B, F, k] (AFM). A dense layer
/// y = e·V + v over it equals c·V″ + v″ with V″ = [W_1·V_1; …; W_F·V_F] [F·k, out] and v″ = v + Σ_f b_f·V_f (seed 002,
/// eq. 12): <see cref="FoldInto"/> gives that layer, which reads the F·k-wide compressed rows instead of the F·t-wide ones.
/// </summary>
internal sealed record ProjectedEmbeddings(TapeRegion Compressed, float[] Weight, float[] Bias, int FieldCount, int Rank, int Dim)
{
    /// <summary>(V″, v″) for a layer with weight V [F·t, out] (row-major, [in, out]) and bias v [out], in double.</summary>
    public (float[] Weight, float[] Bias) FoldInto(float[] weight, float[] bias)
    {
        int outputs = bias.Length;
        var folded = new float[FieldCount * Rank * outputs];
        var foldedBias = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            foldedBias[o] = bias[o];
        }

        var row = new double[outputs];
        for (int f = 0; f < FieldCount; f++)
        {
            for (int j = 0; j < Rank; j++)
            {
                Array.Clear(row);
                for (int d = 0; d < Dim; d++)
                {
                    double w = Weight[(f * Rank + j) * Dim + d];
                    int source = (f * Dim + d) * outputs;
                    for (int o = 0; o < outputs; o++)
                    {
                        row[o] += w * weight[source + o];
                    }
                }

                for (int o = 0; o < outputs; o++)
                {
                    folded[(f * Rank + j) * outputs + o] = (float)row[o];
                }
            }

            for (int d = 0; d < Dim; d++)
            {
                double b = Bias[f * Dim + d];
                int source = (f * Dim + d) * outputs;
                for (int o = 0; o < outputs; o++)
                {
                    foldedBias[o] += b * weight[source + o];
                }
            }
        }

        return (folded, [.. foldedBias.Select(v => (float)v)]);
    }
}
