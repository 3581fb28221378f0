using System.Diagnostics;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// <c>predict -o - | head -3</c> as a real process (an in-process run writes Console.Out, which a host captures): a
/// reader that closes the pipe early ends the run as an I/O error, never as "every row predicted".
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ClosedStdoutTests
{
    [Fact]
    public async Task PredictIntoAPipeItsReaderClosedExits74InsteadOfClaimingEveryRow()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), model = dir.File("lr.cwm");
        CliRunner.Expect(0, "synth", "--rows", "60000", "--seed", "2", "-o", data); // ~600 KB of predictions: far past a pipe's buffer
        CliRunner.Expect(0, "train", "-d", data, "--model", "lr", "-o", model, "--epochs", "1", "--quiet");

        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Clickwise.Cli"), ["predict", "-m", model, "-d", data, "-o", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(float.TryParse(process.StandardOutput.ReadLine(), System.Globalization.CultureInfo.InvariantCulture, out float p) && p is > 0 and < 1);
        }

        process.StandardOutput.Close(); // what `head -3` does after its third line
        Assert.True(process.WaitForExit(120_000), "predict kept running after its reader left");
        Assert.Equal(74, process.ExitCode);
        string stderr = await error;
        Assert.Contains("writing the predictions to stdout failed", stderr);
        Assert.DoesNotContain("predicted 60,000 rows", stderr);
    }
}
