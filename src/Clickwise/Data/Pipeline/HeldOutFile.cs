namespace Clickwise.Data.Pipeline;

/// <summary>
/// A validation or test file given beside the training data: its name in reports (the path as given) and a reader
/// factory. It is encoded with the vocabulary fitted on the training rows; categories it alone has go to each
/// field's OOV id.
/// </summary>
public sealed record HeldOutFile(string Name, Func<IRecordReader> Open);

/// <summary>What is held out as files instead of by the ratio split: a validation file and any test files.</summary>
public sealed record HeldOutFiles
{
    public static HeldOutFiles None { get; } = new();

    public HeldOutFile? Valid { get; init; }

    public IReadOnlyList<HeldOutFile> Tests { get; init; } = [];
}
