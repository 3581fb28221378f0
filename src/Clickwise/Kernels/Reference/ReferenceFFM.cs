namespace Clickwise.Kernels.Reference;

/// <summary>The FFM pair sum in plain loops accumulating in double: the specification of <see cref="IFFMKernel"/>.</summary>
public sealed class ReferenceFFM : IFFMKernel
{
    public string Name => "ffm-reference";

    public void AddRows(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int fieldCount, int dim,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int f = fieldCount;
        long width = (long)f * dim;
        for (int b = rowStart; b < rowEnd; b++)
        {
            double y = 0;
            for (int i = 0; i < f; i++)
            {
                long rowI = ids[b * f + i] * width;
                double xi = values.IsEmpty ? 1.0 : values[b * f + i];
                for (int j = i + 1; j < f; j++)
                {
                    long rowJ = ids[b * f + j] * width;
                    double xj = values.IsEmpty ? 1.0 : values[b * f + j];
                    double dot = 0;
                    for (int d = 0; d < dim; d++)
                    {
                        dot += (double)table[(int)(rowI + j * dim + d)] * table[(int)(rowJ + i * dim + d)];
                    }

                    y += xi * xj * dot;
                }
            }

            logits[b] += (float)y;
        }
    }
}
