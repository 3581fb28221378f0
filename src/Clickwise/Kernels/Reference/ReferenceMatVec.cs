namespace Clickwise.Kernels.Reference;

/// <summary>Plain loops accumulating in double: the specification of <see cref="IMatVec"/>.</summary>
public sealed class ReferenceMatVec : IMatVec
{
    public string Name => "matvec-reference";

    public void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
                         int inputSize, int outputSize, bool relu)
    {
        KernelChecks.MatVec(x, weight, bias, y, inputSize, outputSize);
        for (int o = 0; o < outputSize; o++)
        {
            double sum = bias.IsEmpty ? 0.0 : bias[o];
            for (int i = 0; i < inputSize; i++)
            {
                sum += (double)x[i] * weight[i * outputSize + o];
            }

            y[o] = relu && sum < 0 ? 0f : (float)sum;
        }
    }
}
