using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// One lookup of a quotient-remainder embedding (Shi et al., "Compositional Embeddings Using Complementary Partitions",
/// KDD'20): feature i of a field with m collisions reads e = x·(Q[i / m] ∘ R[i mod m]), where ∘ is ⊙ or +. The table's
/// gather has already written x·Q[i / m] into the lookup's output, so these steps join R's row in and, backwards, turn
/// dOut into the gradient the table's scatter takes for Q (the scatter multiplies by x itself) plus R's own row gradient.
/// Training and the compiled plan both call them.
/// </summary>
public static class QuotientRemainder
{
    /// <param name="remainder">R[i mod m], [D].</param>
    /// <param name="value">x, the lookup's feature value.</param>
    /// <param name="output">[D]: holds x·Q[i / m]; becomes e.</param>
    public static void Forward(ReadOnlySpan<float> remainder, float value, QrOperation operation, Span<float> output)
    {
        if (operation == QrOperation.Multiply)
        {
            TensorPrimitives.Multiply(output, remainder, output);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(remainder, value, output, output);
        }
    }

    /// <param name="quotient">Q[i / m], [D] (unscaled).</param>
    /// <param name="remainder">R[i mod m], [D].</param>
    /// <param name="dOutput">[D]: ∂L/∂e; becomes the gradient of x·Q[i / m] (⊙ R for a product, unchanged for a sum).</param>
    /// <param name="dRemainder">[D], written: ∂L/∂R[i mod m] of this lookup, x·dOut ⊙ Q or x·dOut.</param>
    public static void Backward(ReadOnlySpan<float> quotient, ReadOnlySpan<float> remainder, float value, QrOperation operation,
                                Span<float> dOutput, Span<float> dRemainder)
    {
        if (operation == QrOperation.Multiply)
        {
            TensorPrimitives.Multiply(dOutput, quotient, dRemainder);
            TensorPrimitives.Multiply(dRemainder, value, dRemainder);
            TensorPrimitives.Multiply(dOutput, remainder, dOutput);
        }
        else
        {
            TensorPrimitives.Multiply(dOutput, value, dRemainder);
        }
    }
}
