using System.Text.Json;

namespace Clickwise.Training;

/// <summary>
/// Appends one JSON object per epoch to metrics.jsonl: epoch, train_loss, valid_auc, valid_logloss,
/// samples_per_sec, seconds (null where there is no value, e.g. no validation set). Each line is flushed so a
/// crashed run keeps the epochs it finished; a resumed run first drops the lines past its checkpoint
/// (<see cref="KeepEpochsThrough"/>).
/// </summary>
public sealed class MetricsJsonlWriter : ITrainingObserver, IDisposable
{
    private readonly FileStream _stream;

    public MetricsJsonlWriter(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _stream.Seek(0, SeekOrigin.End); // a resumed run continues its file
    }

    public string Path { get; }

    /// <summary>
    /// Drops every line after the last one of <paramref name="epoch"/>, and a cut-off last line. An epoch's line is
    /// written before its checkpoint is committed, so a run killed in between has logged an epoch that its resume
    /// trains again: without this, the epoch would appear twice.
    /// </summary>
    public void KeepEpochsThrough(int epoch)
    {
        _stream.Position = 0;
        byte[] text = new byte[_stream.Length];
        _stream.ReadExactly(text);
        long keep = 0;
        for (int start = 0, end; (end = Array.IndexOf(text, (byte)'\n', start)) >= 0; start = end + 1)
        {
            using JsonDocument line = JsonDocument.Parse(text.AsMemory(start, end - start));
            if (line.RootElement.GetProperty("epoch").GetInt32() > epoch)
            {
                break;
            }

            keep = end + 1;
        }

        _stream.SetLength(keep);
        _stream.Position = keep;
        _stream.Flush(flushToDisk: true);
    }

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
