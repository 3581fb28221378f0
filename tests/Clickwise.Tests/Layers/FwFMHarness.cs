using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>Owns the scratch the GEMM-formulated <see cref="FwFMInteraction"/> needs, for tests.</summary>
internal sealed class FwFMHarness(int batchSize, int fieldCount, int dim)
{
    private readonly float[] _symmetric = new float[fieldCount * fieldCount];
    private readonly float[] _pairGrad = new float[fieldCount * fieldCount];
    private readonly float[] _fieldMajor = new float[fieldCount * batchSize * dim];
    private readonly float[] _mixed = new float[fieldCount * batchSize * dim];
    private readonly float[] _scaled = new float[fieldCount * batchSize * dim];

    public void Forward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairWeights, Span<float> output) =>
        FwFMInteraction.Forward(embeddings, pairWeights, batchSize, fieldCount, dim, _symmetric, _fieldMajor, _mixed, output);

    public void Backward(ReadOnlySpan<float> dOutput, Span<float> dEmbeddings, Span<float> dPairWeights) =>
        FwFMInteraction.Backward(_fieldMajor, _mixed, dOutput, batchSize, fieldCount, dim, _scaled, _pairGrad,
            dEmbeddings, dPairWeights);

    /// <summary>The definition, Σ_{i&lt;j} r_(i,j) ⟨e_i, e_j⟩ by a plain pair loop in double: the spec the layer must match.</summary>
    public static double PairLoop(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairWeights, int b, int fieldCount, int dim)
    {
        double y = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            for (int j = i + 1; j < fieldCount; j++)
            {
                double dot = 0;
                for (int d = 0; d < dim; d++)
                {
                    dot += (double)embeddings[(b * fieldCount + i) * dim + d] * embeddings[(b * fieldCount + j) * dim + d];
                }

                y += pairWeights[FieldPairs.Index(i, j, fieldCount)] * dot;
            }
        }

        return y;
    }
}
