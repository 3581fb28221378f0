using Clickwise.Layers;

namespace Clickwise.Kernels.Reference;

/// <summary>The plain loops <see cref="IReluDropoutKernel"/>'s vector variant must match bit for bit.</summary>
public sealed class ReferenceReluDropout : IReluDropoutKernel
{
    public string Name => "relu-dropout-reference";

    public void Forward(Span<float> rows, ReadOnlySpan<float> bias, int width, int firstRow, int rowCount, DropoutStream? dropout)
    {
        for (int r = 0; r < rowCount; r++)
        {
            for (int j = 0; j < width; j++)
            {
                int i = r * width + j;
                float h = MathF.Max(rows[i] + bias[j], 0f);
                if (dropout is { } stream)
                {
                    h *= stream.Keeps((long)(firstRow + r) * width + j) ? stream.Scale : 0f;
                }

                rows[i] = h;
            }
        }
    }

    public void Backward(ReadOnlySpan<float> h, Span<float> d, int rowCount, int width, int columnStart, int columnEnd, float scale,
                         Span<float> dBias)
    {
        for (int r = 0; r < rowCount; r++)
        {
            for (int j = columnStart; j < columnEnd; j++)
            {
                int i = r * width + j;
                float g = h[i] > 0f ? d[i] * scale : 0f;
                d[i] = g;
                dBias[j] += g;
            }
        }
    }

    public void OutputBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dW, Span<float> dZ,
                               Span<float> dBias, int rowCount, int width, int columnStart, int columnEnd, float scale)
    {
        for (int b = 0; b < rowCount; b++)
        {
            float g = dY[b];
            for (int j = columnStart; j < columnEnd; j++)
            {
                int i = b * width + j;
                dW[j] += h[i] * g;
                float z = h[i] > 0f ? g * w[j] * scale : 0f;
                dZ[i] = z;
                dBias[j] += z;
            }
        }
    }
}
