using System.Diagnostics;
using Clickwise.Data.Pipeline;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>
/// What every study shares: the data prepared once (parsed, encoded, split) for all its runs, how long that took, and
/// the rows batch-1 latency is timed on (the test part's first rows, else the training part's).
/// </summary>
internal sealed class StudyData : IDisposable
{
    private StudyData(PreparedDataset data, double prepareSeconds, int[] sampleIds, int sampleRows)
    {
        Data = data;
        PrepareSeconds = prepareSeconds;
        SampleIds = sampleIds;
        SampleRows = sampleRows;
    }

    public PreparedDataset Data { get; }

    public double PrepareSeconds { get; }

    public int[] SampleIds { get; }

    public int SampleRows { get; }

    public static StudyData Prepare(TrainRequest baseRequest)
    {
        Directory.CreateDirectory(baseRequest.WorkDir);
        var clock = Stopwatch.StartNew();
        PreparedDataset data = TrainRun.Prepare(baseRequest);
        double seconds = clock.Elapsed.TotalSeconds;
        (int[] ids, int rows) = SpeedProbe.SampleRows(data.Test.RowCount > 0 ? data.Test : data.Train);
        return new StudyData(data, seconds, ids, rows);
    }

    /// <summary>One run of the study on the shared data.</summary>
    public TrainReport Train(TrainRequest request, IEnumerable<ITrainingObserver>? observers, CancellationToken cancellationToken) =>
        TrainRun.Execute(request, Data, PrepareSeconds, observers, cancellationToken);

    /// <summary>A run's label as a file name: lower-case letters and digits, anything else a dash.</summary>
    public static string Slug(string label) => new([.. label.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    public void Dispose() => Data.Dispose();
}
