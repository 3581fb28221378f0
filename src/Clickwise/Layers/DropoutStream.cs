using Clickwise.Kernels;
using System.Numerics;

namespace Clickwise.Layers;

/// <summary>
/// One forward's dropout decisions for one layer as a pure function of the element index: element i of the layer's
/// [B, H] output is kept when the 16-bit chunk i mod 4 of draw i / 4 after <see cref="State"/> is at least
/// <see cref="Threshold"/>. These are exactly the masks <see cref="Dropout.FillMask"/> draws from the same generator
/// (SplitMix64 is a hashed counter), so the mask needs no storing and any row range can be made on any core.
/// </summary>
/// <param name="Scale">1 / (1 − rate) for kept elements.</param>
public readonly record struct DropoutStream(ulong State, int Threshold, float Scale)
{
    /// <summary>
    /// Takes the draws of <paramref name="elements"/> decisions from <paramref name="random"/> and advances it past them;
    /// of a data-parallel step, the part of shard <paramref name="shard"/>'s rows, advancing past every shard's.
    /// </summary>
    public static DropoutStream Take(SeededRandom random, float rate, long elements, BatchShard shard)
    {
        (int threshold, float scale) = Dropout.Parameters(rate);
        long draws = (elements + 3) / 4;
        var stream = new DropoutStream(unchecked(random.State + (SeededRandom.Increment * (ulong)(shard.Index * draws))), threshold, scale);
        random.Skip(draws * shard.Count);
        return stream;
    }

    /// <summary>The reference: whether element <paramref name="element"/> is kept.</summary>
    public bool Keeps(long element)
    {
        ulong draw = SeededRandom.DrawAt(State, element >> 2);
        return (int)((draw >> (int)(16 * (element & 3))) & 0xFFFF) >= Threshold;
    }

    /// <summary>
    /// Fills <paramref name="draws"/> with the draws holding elements from <paramref name="firstElement"/> on; read as
    /// 16-bit values (little-endian, so chunk k of a draw is its k-th ushort) element e is at e − 4·(firstElement / 4).
    /// </summary>
    public void FillDraws(long firstElement, Span<ulong> draws)
    {
        long first = firstElement >> 2;
        int k = 0;
        if (Vector.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            // Lane l of step k holds counter first + k + l + 1; all arithmetic wraps like the scalar form.
            var lanes = new Vector<ulong>(0);
            for (int l = 0; l < Vector<ulong>.Count; l++)
            {
                lanes = lanes.WithElement(l, (ulong)l);
            }

            var increment = new Vector<ulong>(SeededRandom.Increment);
            var state = new Vector<ulong>(State);
            var m1 = new Vector<ulong>(0xBF58476D1CE4E5B9UL);
            var m2 = new Vector<ulong>(0x94D049BB133111EBUL);
            for (; k <= draws.Length - Vector<ulong>.Count; k += Vector<ulong>.Count)
            {
                Vector<ulong> counter = lanes + new Vector<ulong>(unchecked((ulong)(first + k + 1)));
                Vector<ulong> z = state + increment * counter;
                z = (z ^ (z >> 30)) * m1;
                z = (z ^ (z >> 27)) * m2;
                (z ^ (z >> 31)).CopyTo(draws[k..]);
            }
        }

        for (; k < draws.Length; k++)
        {
            draws[k] = SeededRandom.DrawAt(State, first + k);
        }
    }
}
