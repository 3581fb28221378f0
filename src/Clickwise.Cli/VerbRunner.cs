using Clickwise.Data;
using Clickwise.IO;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Cli;

/// <summary>Runs a verb body and turns every failure into one line on stderr and a meaningful exit code.</summary>
internal static class VerbRunner
{
    private const string TruncatedGzip = "truncated gzip input";

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception error)
        {
            (int code, string message) = Describe(error);
            Console.Error.WriteLine($"clickwise: {message}");
            return code;
        }
    }

    internal static (int Code, string Message) Describe(Exception error) => error switch
    {
        // A cut-off download or copy is an I/O failure of the input, not a malformed row: the data itself may be fine.
        DataFormatException { Line: 0 } e when e.Reason.StartsWith(TruncatedGzip, StringComparison.Ordinal) => (ExitCodes.IOError, e.Message),
        DataFormatException e => (ExitCodes.DataError, e.Message),
        ModelFormatException e => (ExitCodes.DataError, e.Message),
        FileNotFoundException e => (ExitCodes.NoInput, e.FileName is null ? e.Message : $"no such file: {e.FileName}"),
        // Inputs are checked up front (RequireFile → FileNotFoundException), so a missing folder is an output
        // that cannot be written: an I/O error, not a missing input.
        DirectoryNotFoundException e => (ExitCodes.IOError, e.Message),
        UsageException e => (ExitCodes.Usage, e.Message),
        Interchange.OnnxExportException e => (ExitCodes.Usage, e.Message),
        Models.ModelTooLargeException e => (ExitCodes.Usage, $"{e.Message}; lower the batch size or the model's widths"),
        TrainingDivergedException e => (ExitCodes.Diverged, e.Message),
        InvalidDataException e => (ExitCodes.DataError, e.Message),
        RunInUseException e => (ExitCodes.InUse, e.Message),
        IOException e => (ExitCodes.IOError, e.Message),
        UnauthorizedAccessException e => (ExitCodes.IOError, e.Message),
        _ => (ExitCodes.Failure, $"{error.GetType().Name}: {error.Message}"),
    };
}

/// <summary>A command line that parsed but asks for something impossible (unknown model name, bad option combination).</summary>
internal sealed class UsageException(string message) : Exception(message);
