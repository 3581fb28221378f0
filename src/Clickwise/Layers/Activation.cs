namespace Clickwise.Layers;

/// <summary>The activation of an <see cref="Mlp"/>'s hidden layers (the DeepFM paper's Table III uses both).</summary>
public enum Activation
{
    /// <summary>max(z, 0): the default, and what every model file written before the field existed used.</summary>
    Relu,

    /// <summary>tanh(z).</summary>
    Tanh,
}
