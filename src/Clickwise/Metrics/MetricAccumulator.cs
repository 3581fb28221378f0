namespace Clickwise.Metrics;

/// <summary>
/// Collects (prediction, label) pairs over an evaluation pass, batch by batch, and produces the pass's
/// <see cref="EvaluationResult"/>. Logloss and CTR sums are running totals; AUC and the reliability table
/// need every score, kept as packed 8-byte keys that <see cref="Result"/> sorts in place (no second buffer).
/// The key buffer grows by doubling and survives <see cref="Reset"/>, so one accumulator reused across
/// epochs stops allocating after the first pass. Not thread-safe.
/// </summary>
public sealed class MetricAccumulator
{
    private ulong[] _keys;
    private int _count;
    private long _rows;
    private double _lossSum;
    private double _predictedSum;
    private long _positives;
    private long _nanRows;

    public MetricAccumulator(int initialCapacity = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 1);
        _keys = new ulong[initialCapacity];
    }

    public long Rows => _rows;

    /// <summary>Adds probabilities; their logloss is clipped (see <see cref="LogLoss.Epsilon"/>).</summary>
    public void AddProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        Label.CheckLengths(probabilities.Length, labels.Length);
        EnsureCapacity(probabilities.Length);
        for (int i = 0; i < probabilities.Length; i++)
        {
            bool positive = Label.IsPositive(labels[i]);
            Add(probabilities[i], positive, LogLoss.FromProbability(probabilities[i], positive));
        }
    }

    /// <summary>Adds logits; logloss is computed stably from them, AUC and CTR from their sigmoid.</summary>
    public void AddLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels)
    {
        Label.CheckLengths(logits.Length, labels.Length);
        EnsureCapacity(logits.Length);
        for (int i = 0; i < logits.Length; i++)
        {
            bool positive = Label.IsPositive(labels[i]);
            Add((float)LogLoss.Sigmoid(logits[i]), positive, LogLoss.FromLogit(logits[i], positive));
        }
    }

    public EvaluationResult Result()
    {
        if (_rows == 0)
        {
            return new EvaluationResult(0, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        double auc = double.NaN;
        if (_nanRows == 0)
        {
            Span<ulong> keys = _keys.AsSpan(0, _count);
            keys.Sort();
            auc = Auc.FromSortedKeys(keys);
        }

        double rows = _rows;
        return new EvaluationResult(_rows, auc, _lossSum / rows, _predictedSum / rows, _positives / rows, _positives);
    }

    /// <summary>
    /// The reliability table of the rows so far (equal-count bins). NaN predictions rank nowhere, so with any of
    /// them the table is undefined: an <see cref="InvalidDataException"/> (the model's arithmetic on this input,
    /// not a bug of the evaluation) saying how many.
    /// </summary>
    public CalibrationReport Calibration(int binCount = Metrics.Calibration.DefaultBinCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        return Metrics.Calibration.FromSortedKeys(SortedKeys("AUC, logloss and calibration are"), binCount);
    }

    /// <summary>The ROC curve of the rows so far; NaN predictions make it undefined as they do <see cref="Calibration"/>.</summary>
    public RocCurve Roc(int maxPoints = RocCurve.DefaultMaxPoints) => RocCurve.FromSortedKeys(SortedKeys("the ROC curve is"), maxPoints);

    /// <summary>Every score key, sorted; with a NaN prediction, an error saying <paramref name="undefined"/> undefined.</summary>
    private Span<ulong> SortedKeys(string undefined)
    {
        if (_nanRows > 0)
        {
            throw new InvalidDataException(
                $"{_nanRows} of {_rows} predictions are NaN (the model's arithmetic overflowed on these rows), so {undefined} undefined");
        }

        Span<ulong> keys = _keys.AsSpan(0, _count);
        keys.Sort();
        return keys;
    }

    /// <summary>Forgets all rows, keeping the buffer.</summary>
    public void Reset()
    {
        _count = 0;
        _rows = 0;
        _lossSum = 0;
        _predictedSum = 0;
        _positives = 0;
        _nanRows = 0;
    }

    private void Add(float score, bool positive, double loss)
    {
        _lossSum += loss;
        _predictedSum += score;
        _positives += positive ? 1 : 0;
        _rows++;
        if (float.IsNaN(score))
        {
            // A NaN score has no rank: AUC becomes NaN, and the sums above already carry the NaN.
            _nanRows++;
            return;
        }

        _keys[_count++] = ScoreKey.Encode(score, positive);
    }

    private void EnsureCapacity(int more)
    {
        long needed = (long)_count + more;
        if (needed <= _keys.Length)
        {
            return;
        }

        long capacity = Math.Max(needed, 2L * _keys.Length);
        Array.Resize(ref _keys, (int)Math.Min(capacity, Array.MaxLength));
    }
}
