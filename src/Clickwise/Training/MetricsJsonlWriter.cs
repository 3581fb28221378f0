using System.Text.Json;

namespace Clickwise.Training;

/// <summary>
/// Appends one JSON object per epoch to metrics.jsonl: epoch, train_loss, valid_auc, valid_logloss,
/// samples_per_sec, seconds (null where there is no value, e.g. no validation set). Each line is flushed so a
/// crashed run keeps the epochs it finished.
/// </summary>
public sealed class MetricsJsonlWriter : ITrainingObserver, IDisposable
{
    private readonly FileStream _stream;

    public MetricsJsonlWriter(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public string Path { get; }

    public void OnStep(in StepProgress progress)
    {
    }

    public void OnEpoch(EpochResult result)
    {
        using (var json = new Utf8JsonWriter(_stream))
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", result.Epoch);
            WriteNumber(json, "train_loss", result.TrainLoss);
            WriteNumber(json, "valid_auc", result.ValidAuc);
            WriteNumber(json, "valid_logloss", result.ValidLogLoss);
            WriteNumber(json, "samples_per_sec", result.SamplesPerSec);
            WriteNumber(json, "seconds", result.Seconds);
            json.WriteEndObject();
        }

        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
