using System.Diagnostics;
using System.Globalization;

namespace Clickwise.Training;

/// <summary>
/// Plain progress lines for logs and pipes (a terminal gets the CLI's live bar instead): one line per epoch, and
/// a step line at most every <c>stepInterval</c> (none when zero). Numbers use the invariant culture.
/// </summary>
public sealed class TextProgressWriter(TextWriter output, TimeSpan stepInterval) : ITrainingObserver
{
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();

    public void OnStep(in StepProgress p)
    {
        if (stepInterval <= TimeSpan.Zero || _sinceLastLine.Elapsed < stepInterval)
        {
            return;
        }

        _sinceLastLine.Restart();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F5} {p.SamplesPerSec:N0} samples/s ETA {p.Eta:hh\\:mm\\:ss}"));
    }

    public void OnEpoch(EpochResult r)
    {
        string valid = double.IsNaN(r.ValidAuc)
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" valid_auc {r.ValidAuc:F5} valid_logloss {r.ValidLogLoss:F5}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch} train_loss {r.TrainLoss:F5}{valid} {r.SamplesPerSec:N0} samples/s {r.Seconds:F1} s"));
        output.Flush();
    }
}
