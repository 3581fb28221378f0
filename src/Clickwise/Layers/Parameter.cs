namespace Clickwise.Layers;

/// <summary>
/// A named, shaped block of trainable floats with its gradient. Dense parameters carry a dense
/// <see cref="Grad"/>; row-sparse ones (embedding tables) carry a <see cref="RowGradient"/> instead, so a step
/// costs what the batch touched, not the size of the vocabulary. That one is training state, sized by the batch:
/// <see cref="PrepareRowGradient"/> makes it, so a model built to be compiled or inspected holds none.
/// </summary>
public sealed class Parameter
{
    private Parameter(string name, int[] shape, ParameterRole role, float[] value, float[]? grad, bool rowSparse)
    {
        Name = name;
        Shape = shape;
        Role = role;
        Value = value;
        Grad = grad;
        IsRowSparse = rowSparse;
    }

    public string Name { get; }

    public int[] Shape { get; }

    public ParameterRole Role { get; }

    public float[] Value { get; private set; }

    /// <summary>Whether <see cref="Value"/> came from saved weights; initialisers leave such a parameter as it is.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>
    /// Whether the training run holds the parameter constant (OptEmbed's thresholds at <c>threshold_lr</c> 0): then no layer
    /// sends it a gradient, nor a gradient through it to other parameters that only exists because it could move.
    /// </summary>
    public bool Frozen { get; set; }

    /// <summary>Dense gradient, same length as <see cref="Value"/>; null for row-sparse parameters.</summary>
    public float[]? Grad { get; }

    /// <summary>Row-sparse gradient; null for dense parameters, and until <see cref="PrepareRowGradient"/>.</summary>
    public RowGradient? RowGrad { get; private set; }

    public bool IsRowSparse { get; }

    public int Length => Value.Length;

    /// <summary>Length of the last dimension (the row width of a table).</summary>
    public int RowWidth => Shape.Length == 0 ? 1 : Shape[^1];

    public int RowCount => Length / RowWidth;

    public static Parameter Dense(string name, ParameterRole role, params int[] shape)
    {
        int length = Product(shape);
        return new Parameter(name, shape, role, new float[length], new float[length], rowSparse: false);
    }

    /// <summary>A table [rows, width] updated row by row.</summary>
    public static Parameter RowSparse(string name, ParameterRole role, int rows, int width)
    {
        int[] shape = width == 1 && role == ParameterRole.FirstOrder ? [rows, 1] : [rows, width];
        return new Parameter(name, shape, role, new float[checked(rows * width)], null, rowSparse: true);
    }

    /// <summary>
    /// Makes (or, for more rows, remakes) the row gradient of a row-sparse parameter, bounded to
    /// <paramref name="maxTouchedRows"/> rows per step; nothing for a dense one.
    /// </summary>
    public Parameter PrepareRowGradient(int maxTouchedRows)
    {
        int rows = Math.Min(RowCount, maxTouchedRows);
        if (IsRowSparse && (RowGrad is null || RowGrad.Rows.Length < rows))
        {
            RowGrad = new RowGradient(RowCount, RowWidth, rows);
        }

        return this;
    }

    /// <summary>Takes <paramref name="values"/> (not a copy) as the parameter's value, e.g. a model file's tensor.</summary>
    internal void Load(float[] values)
    {
        if (values.Length != Value.Length)
        {
            throw new InvalidDataException($"tensor '{Name}' has {values.Length} values, expected {Value.Length} ([{string.Join(", ", Shape)}])");
        }

        Value = values;
        IsLoaded = true;
    }

    /// <summary>N(0, std²) unless loaded.</summary>
    public Parameter Normal(SeededRandom random, double std)
    {
        if (!IsLoaded)
        {
            random.FillNormal(Value, std);
        }

        return this;
    }

    /// <summary>U(±bound) unless loaded.</summary>
    public Parameter Uniform(SeededRandom random, double bound)
    {
        if (!IsLoaded)
        {
            random.FillUniform(Value, bound);
        }

        return this;
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
