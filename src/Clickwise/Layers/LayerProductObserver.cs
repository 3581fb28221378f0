namespace Clickwise.Layers;

/// <summary>Sees hidden layer <paramref name="layer"/>'s product x·W [<paramref name="batchSize"/>, out] during a forward.</summary>
public delegate void LayerProductObserver(int layer, ReadOnlySpan<float> product, int batchSize);
