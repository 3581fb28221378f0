namespace Clickwise.Runs;

/// <summary>
/// A config file's <c>data</c> section: the file of each role (FuxiCTR/BARS <c>train_data</c>, <c>valid_data</c>,
/// <c>test_data</c>), as <c>{"train": PATH, "valid": PATH, "test": [PATH, …]}</c>. Paths are read as written (relative to
/// the current directory). <c>-d</c>, <c>--valid</c> and <c>--test</c> override them; a role without a file is taken
/// from the training data by the ratio split.
/// </summary>
public sealed record DataFiles
{
    public string? Train { get; init; }

    public string? Valid { get; init; }

    public IReadOnlyList<string> Test { get; init; } = [];
}
