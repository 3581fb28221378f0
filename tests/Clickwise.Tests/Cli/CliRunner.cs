using Clickwise.Cli;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Console is process-wide and the verbs redirect it, so CLI tests run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "CLI (process-wide console)";
}

/// <summary>What one in-process <c>clickwise</c> invocation returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>Runs <see cref="Program.Main"/> in-process with stdout and stderr captured.</summary>
internal static class CliRunner
{
    private static readonly Lock Gate = new();

    public static CliResult Run(params string[] args)
    {
        lock (Gate)
        {
            TextWriter savedOut = Console.Out, savedError = Console.Error;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                int code = Program.Main(args);
                return new CliResult(code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(savedOut);
                Console.SetError(savedError);
            }
        }
    }

    /// <summary>Runs and asserts the exit code, showing everything printed when it differs.</summary>
    public static CliResult Expect(int exitCode, params string[] args)
    {
        CliResult result = Run(args);
        Assert.True(result.ExitCode == exitCode, $"clickwise {string.Join(' ', args)}: expected exit {exitCode}, got {result}");
        return result;
    }
}
