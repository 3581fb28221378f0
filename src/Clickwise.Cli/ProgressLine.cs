using System.Globalization;
using Clickwise.Training;

namespace Clickwise.Cli;

/// <summary>
/// The text of a progress line: rows so far, rows/s and, when the size of the work is known, percent done and ETA.
/// Invariant digits, so a log reads the same on every machine.
/// </summary>
internal static class ProgressLine
{
    /// <param name="fraction">The part done (bytes read of the input's size); null when unknown (stdin).</param>
    public static string Rows(string label, long rows, TimeSpan elapsed, double? fraction)
    {
        double seconds = elapsed.TotalSeconds;
        string rate = seconds > 0 ? Invariant($"{rows / seconds:N0} rows/s") : "– rows/s";
        string head = Invariant($"{label}: {rows:N0} rows");
        return fraction is > 0 and var done
            ? Invariant($"{head}  {100 * done:F1}%  {rate}  ETA {Clock(elapsed * ((1 - done) / done))}")
            : $"{head}  {rate}  {Clock(elapsed)} elapsed";
    }

    /// <summary>A training run's step: epoch, step, samples/s and the trainer's ETA of the run.</summary>
    public static string Training(string label, in StepProgress step) =>
        Invariant($"{label}: epoch {step.Epoch}/{step.Epochs}  step {step.Step:N0}/{step.StepsPerEpoch:N0}  loss {step.Loss:F4}  ")
        + Invariant($"{step.SamplesPerSec:N0} rows/s  ETA {Clock(step.Eta)}");

    /// <summary>h:mm:ss, hours unbounded (a 30-hour pass reads 30:00:00).</summary>
    public static string Clock(TimeSpan span) =>
        Invariant($"{(long)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
