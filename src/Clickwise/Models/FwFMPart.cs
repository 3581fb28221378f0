using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The FwFM component without w0: linear term Σ_f ⟨e_f, v_f⟩ ("fwfm.v", [F, D]) plus pairwise term
/// Σ_{i&lt;j} r_(i,j) ⟨e_i, e_j⟩ ("fwfm.r", [P] upper triangle of the symmetric R).
/// </summary>
internal sealed class FwFMPart
{
    private readonly float[] _symmetric, _pairGrad, _fieldMajor, _mixed, _scaled;

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
        int f = layout.FieldCount;
        int fieldMajorLength = checked(f * maxBatchSize * dim);
        _symmetric = new float[f * f];
        _pairGrad = new float[f * f];
        _fieldMajor = new float[fieldMajorLength];
        _mixed = new float[fieldMajorLength];
        _scaled = new float[fieldMajorLength];
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
        FwFMInteraction.Forward(embeddings, PairWeights.Value, batchSize, FieldCount, Dim,
            _symmetric, _fieldMajor, _mixed, PairOutput);
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += LinearOutput[b] + PairOutput[b];
        }
    }

    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dLogits, int batchSize, Span<float> dEmbeddings)
    {
        FwFMLinear.Backward(embeddings, FieldVectors.Value, dLogits, batchSize, FieldCount, Dim, dEmbeddings, FieldVectors.Grad);
        FwFMInteraction.Backward(_fieldMajor, _mixed, dLogits, batchSize, FieldCount, Dim,
            _scaled, _pairGrad, dEmbeddings, PairWeights.Grad);
    }
}
