using System.Runtime.InteropServices;

namespace Clickwise.Distributed;

/// <summary>The exchanges' reused send and receive buffers: grown (doubling) when a step needs more, never shrunk.</summary>
internal static class ExchangeBuffers
{
    public static void Grow<T>(ref T[] buffer, int count)
    {
        if (buffer.Length < count)
        {
            buffer = new T[Math.Max(count, 2 * buffer.Length)];
        }
    }

    /// <summary>The first <paramref name="count"/> 4-byte words of <paramref name="buffer"/>, grown to hold them.</summary>
    public static Span<T> Words<T>(ref byte[] buffer, int count)
        where T : unmanaged
    {
        Grow(ref buffer, 4 * count);
        return MemoryMarshal.Cast<byte, T>(buffer.AsSpan(0, 4 * count));
    }
}
