namespace Clickwise.Models;

/// <summary>
/// A model or a batch of its activations too large for this process: a tensor beyond what one array can hold, or an
/// allocation the machine refused. A setting to lower (batch size, widths), not a bug.
/// </summary>
public sealed class ModelTooLargeException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <inheritdoc cref="Guard{T}(Func{T}, Func{string})"/>
    public static void Guard(Action allocate, Func<string> what) => Guard(() =>
    {
        allocate();
        return 0;
    }, what);

    /// <summary>Runs <paramref name="allocate"/>, turning an overflowing size or a refused allocation into this exception.</summary>
    public static T Guard<T>(Func<T> allocate, Func<string> what)
    {
        try
        {
            return allocate();
        }
        catch (Exception e) when (e is OverflowException or OutOfMemoryException)
        {
            throw new ModelTooLargeException($"{what()} does not fit: {(e is OverflowException ? "a tensor would hold more values than one array can (2^31)" : "the machine refused the memory")}", e);
        }
    }
}
