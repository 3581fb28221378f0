namespace Clickwise.Kernels;

/// <summary>The fp32 scalars of one Adam update at step t, narrowed from doubles like PyTorch's Python scalars.</summary>
public readonly record struct AdamCoefficients(
    float L2,
    float Beta1,
    float OneMinusBeta1,
    float Beta2,
    float OneMinusBeta2,
    float StepSize,
    float BiasCorrection2Sqrt,
    float Eps);
