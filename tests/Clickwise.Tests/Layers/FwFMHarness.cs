using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>Owns the [F, F] matrices <see cref="FwFMInteraction"/> works on, for tests over P pair weights.</summary>
internal sealed class FwFMHarness(int batchSize, int fieldCount, int dim)
{
    private readonly float[] _pairMatrix = new float[fieldCount * fieldCount];
    private readonly float[] _pairGrad = new float[fieldCount * fieldCount];
    private float[] _embeddings = [];

    public void Forward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairWeights, Span<float> output)
    {
        _embeddings = embeddings.ToArray();
        FwFMInteraction.Expand(pairWeights, fieldCount, _pairMatrix);
        FwFMInteraction.Forward(embeddings, _pairMatrix, batchSize, fieldCount, dim, output);
    }

    public void Backward(ReadOnlySpan<float> dOutput, Span<float> dEmbeddings, Span<float> dPairWeights)
    {
        Array.Clear(_pairGrad);
        FwFMInteraction.Backward(_embeddings, _pairMatrix, dOutput, batchSize, fieldCount, dim, dEmbeddings, _pairGrad);
        FwFMInteraction.FoldPairGradient(_pairGrad, fieldCount, dPairWeights);
    }

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
