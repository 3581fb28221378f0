namespace Clickwise.Layers;

/// <summary>Weight initialisations shared by the layers that own their parameters.</summary>
internal static class Initialization
{
    /// <summary>Xavier/Glorot uniform, U(±√(6 / (fanIn + fanOut))): what the zoo's reference implementations use for
    /// cross, gate and attention matrices.</summary>
    public static Parameter Glorot(this Parameter parameter, SeededRandom random, int fanIn, int fanOut) =>
        parameter.Uniform(random, Math.Sqrt(6.0 / (fanIn + fanOut)));
}
