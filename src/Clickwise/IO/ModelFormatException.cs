namespace Clickwise.IO;

/// <summary>A model or checkpoint file that cannot be used: wrong magic, unknown version, truncated, corrupted or mismatched.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
