namespace Clickwise.IO;

/// <summary>A finished model, or a checkpoint that also carries optimizer and trainer state.</summary>
public enum ModelFileKind
{
    Model,
    Checkpoint,
}
