namespace Clickwise.Kernels;

/// <summary>
/// The inner products of a pruned layer stored in sliced ELLPACK form (<see cref="SlicedEllMatrix"/>,
/// <see cref="SparseMlp"/>): slices of <see cref="SlicedEllMatrix.SliceWidth"/> output lanes, each slice a run of steps
/// holding one (input index, weight) per lane, lane-interleaved and padded with weight 0.
/// </summary>
public unsafe interface ISlicedEllKernel
{
    string Name { get; }

    /// <summary>
    /// sums[s·8 + lane] = initial[s·8 + lane] (or 0 when null) + Σ_k value[k]·input[index[k]] over the entries
    /// k ≡ lane (mod 8) of slice s, entries [sliceStart[s]·8, sliceStart[s + 1]·8), for slices [0, <paramref name="slices"/>);
    /// then max(·, 0) when <paramref name="relu"/>.
    /// </summary>
    void SumSlices(float* input, int* sliceStart, int* index, float* value, int slices, float* initial, float* sums, bool relu);

    /// <summary><paramref name="initial"/> + Σ_k x[k]·w[k] for k &lt; <paramref name="count"/> (a pruned network's one output unit).</summary>
    float Dot(float* x, float* w, int count, float initial);
}
