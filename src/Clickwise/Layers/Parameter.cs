namespace Clickwise.Layers;

/// <summary>
/// A named, shaped block of trainable floats with its gradient. Dense parameters carry a dense
/// <see cref="Grad"/>; row-sparse ones (embedding tables) carry a <see cref="RowGradient"/> instead, so a step
/// costs what the batch touched, not the size of the vocabulary.
/// </summary>
public sealed class Parameter
{
    private Parameter(string name, int[] shape, ParameterRole role, float[] value, float[]? grad, RowGradient? rowGrad)
    {
        Name = name;
        Shape = shape;
        Role = role;
        Value = value;
        Grad = grad;
        RowGrad = rowGrad;
    }

    public string Name { get; }

    public int[] Shape { get; }

    public ParameterRole Role { get; }

    public float[] Value { get; }

    /// <summary>Dense gradient, same length as <see cref="Value"/>; null for row-sparse parameters.</summary>
    public float[]? Grad { get; }

    /// <summary>Row-sparse gradient; null for dense parameters.</summary>
    public RowGradient? RowGrad { get; }

    public bool IsRowSparse => RowGrad is not null;

    public int Length => Value.Length;

    /// <summary>Length of the last dimension (the row width of a table).</summary>
    public int RowWidth => Shape.Length == 0 ? 1 : Shape[^1];

    public int RowCount => Length / RowWidth;

    public static Parameter Dense(string name, ParameterRole role, params int[] shape)
    {
        int length = Product(shape);
        return new Parameter(name, shape, role, new float[length], new float[length], null);
    }

    /// <summary>A table [rows, width] updated row by row; <paramref name="maxTouchedRows"/> bounds rows per step.</summary>
    public static Parameter RowSparse(string name, ParameterRole role, int rows, int width, int maxTouchedRows)
    {
        int[] shape = width == 1 && role == ParameterRole.FirstOrder ? [rows, 1] : [rows, width];
        return new Parameter(name, shape, role, new float[checked(rows * width)], null,
            new RowGradient(rows, width, Math.Min(rows, maxTouchedRows)));
    }

    public void ZeroGrad()
    {
        Grad?.AsSpan().Clear();
        RowGrad?.Clear();
    }

    private static int Product(int[] shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d);
            n *= d;
        }

        return checked((int)n);
    }
}
