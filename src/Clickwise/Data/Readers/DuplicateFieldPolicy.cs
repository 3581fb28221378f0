namespace Clickwise.Data.Readers;

/// <summary>What a libffm reader does with a row that names one field twice.</summary>
/// <remarks>
/// A <see cref="RawRecord"/> holds one token per field, so a multi-valued field cannot be represented. xLearn's
/// Criteo demo (shared/data/criteo_xlearn_libffm) repeats a field in about 10% of rows, hence the choice.
/// </remarks>
public enum DuplicateFieldPolicy
{
    /// <summary>The row is a bad line ("duplicate field in row").</summary>
    Reject,

    /// <summary>The first feature of the field is kept, later ones are dropped.</summary>
    KeepFirst,
}
