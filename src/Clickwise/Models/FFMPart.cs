using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The FFM pairwise term Σ_{i&lt;j} ⟨v[b,i,j], v[b,j,i]⟩ over gathered field-aware vectors [B, F, F, D]
/// (<see cref="FieldAwareInteraction"/>), forward and backward split by rows over the compute threads: each row is
/// computed whole by one thread, so the result does not depend on the split.
/// </summary>
internal sealed class FFMPart
{
    private readonly float[] _dY;
    private readonly Job _job;

    public FFMPart(int fieldCount, int dim, int maxBatchSize)
    {
        FieldCount = fieldCount;
        Dim = dim;
        Output = new float[maxBatchSize];
        _dY = new float[maxBatchSize];
        _job = new Job(this);
    }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>[B] pair terms of the last forward.</summary>
    public float[] Output { get; }

    private int RowLength => FieldCount * FieldCount * Dim;

    /// <summary>Adds the pair term of <paramref name="fieldAware"/> [B, F, F, D] to <paramref name="logits"/>.</summary>
    public void Forward(float[] fieldAware, int batchSize, Span<float> logits)
    {
        _job.Run(fieldAware, null, batchSize);
        LogitSum.Add(Output, batchSize, logits);
    }

    /// <summary>Writes (not accumulates) dFieldAware [B, F, F, D]; the unused diagonal blocks get zeros.</summary>
    public void Backward(float[] fieldAware, ReadOnlySpan<float> dLogits, int batchSize, float[] dFieldAware)
    {
        dLogits[..batchSize].CopyTo(_dY);
        _job.Run(fieldAware, dFieldAware, batchSize);
    }

    private sealed class Job(FFMPart part) : IComputeJob
    {
        private float[] _fieldAware = [];
        private float[]? _dFieldAware;
        private int _rows;

        public void Run(float[] fieldAware, float[]? dFieldAware, int rows)
        {
            (_fieldAware, _dFieldAware, _rows) = (fieldAware, dFieldAware, rows);
            RowParallel.For(rows, this);
        }

        public void Run(int index, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, index, partCount);
            int n = end - start, w = part.RowLength;
            ReadOnlySpan<float> v = _fieldAware.AsSpan(start * w, n * w);
            if (_dFieldAware is null)
            {
                FieldAwareInteraction.Forward(v, n, part.FieldCount, part.Dim, part.Output.AsSpan(start, n));
                return;
            }

            Span<float> dV = _dFieldAware.AsSpan(start * w, n * w);
            dV.Clear();
            FieldAwareInteraction.Backward(v, part._dY.AsSpan(start, n), n, part.FieldCount, part.Dim, dV);
        }
    }
}
