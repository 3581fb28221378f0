namespace Clickwise.Tests.Reliability;

/// <summary>README's exit-code table, as the harness judges codes.</summary>
internal static class Exits
{
    public const int Success = 0, Bug = 1, Usage = 2, Diverged = 3, DataError = 65, NoInput = 66, IOError = 74, InUse = 75, Interrupted = 130;

    /// <summary>Every code README documents except 1 ("a bug, please report it").</summary>
    public static bool Documented(int code) => code is Success or Usage or Diverged or DataError or NoInput or IOError or InUse or Interrupted;
}
