using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The FwFM component without w0: linear term Σ_f ⟨e_f, v_f⟩ ("fwfm.v", [F, D]) plus pairwise term
/// Σ_{i&lt;j} r_(i,j) ⟨e_i, e_j⟩ ("fwfm.r", [P] upper triangle of the symmetric R).
/// </summary>
internal sealed class FwFMPart
{
    public FwFMPart(ParameterSet parameters, FeatureLayout layout, int dim, int maxBatchSize, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Dim = dim;
        FieldVectors = parameters.Add(Parameter.Dense("fwfm.v", ParameterRole.FieldLinear, layout.FieldCount, dim));
        PairWeights = parameters.Add(Parameter.Dense("fwfm.r", ParameterRole.FieldMatrix, FieldPairs.Count(layout.FieldCount)));
        // The reference code builds v and R as nn.Linear weights; we keep PyTorch's default U(±1/√fan_in) scale.
        random.FillUniform(FieldVectors.Value, 1.0 / Math.Sqrt(dim));
        random.FillUniform(PairWeights.Value, 1.0 / Math.Sqrt(layout.FieldCount));
        LinearOutput = new float[maxBatchSize];
        PairOutput = new float[maxBatchSize];
    }

    public Parameter FieldVectors { get; }

    public Parameter PairWeights { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    public float[] LinearOutput { get; }

    public float[] PairOutput { get; }

    /// <summary>Adds the FwFM linear and pairwise terms to <paramref name="logits"/>.</summary>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> logits)
    {
        FwFMLinear.Forward(embeddings, FieldVectors.Value, batchSize, FieldCount, Dim, LinearOutput);
        FwFMInteraction.Forward(embeddings, PairWeights.Value, batchSize, FieldCount, Dim, PairOutput);
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += LinearOutput[b] + PairOutput[b];
        }
    }

    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dLogits, int batchSize, Span<float> dEmbeddings)
    {
        FwFMLinear.Backward(embeddings, FieldVectors.Value, dLogits, batchSize, FieldCount, Dim, dEmbeddings, FieldVectors.Grad);
        FwFMInteraction.Backward(embeddings, PairWeights.Value, dLogits, batchSize, FieldCount, Dim, dEmbeddings, PairWeights.Grad);
    }
}
