namespace Clickwise.Cli;

/// <summary>Process exit codes: 0 success, sysexits-style codes for the failures a user can act on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Training diverged (NaN/infinite loss or weight, or a loss far above its best): no model was written.</summary>
    public const int Diverged = 3;

    /// <summary>EX_DATAERR: malformed input, too many bad lines, a corrupted model file.</summary>
    public const int DataError = 65;

    /// <summary>EX_NOINPUT: an input file that does not exist.</summary>
    public const int NoInput = 66;

    /// <summary>EX_IOERR: reading or writing failed (disk full, truncated stream).</summary>
    public const int IOError = 74;

    /// <summary>EX_TEMPFAIL: the output is in use by another run (its run directory's lock is held); retry later.</summary>
    public const int InUse = 75;

    /// <summary>128 + SIGINT: stopped by Ctrl-C (train says where its checkpoint is and how to resume).</summary>
    public const int Interrupted = 130;
}
