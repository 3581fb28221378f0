namespace Clickwise.Serving;

/// <summary>
/// One request's rows waiting for a batch worker, and its logits once scored. A request past its deadline abandons the
/// item; a worker takes it only if it was not abandoned, so late work is dropped instead of done for nobody.
/// </summary>
internal sealed class BatchItem(EncodedRows rows)
{
    private const int Queued = 0, Taken = 1, Abandoned = 2;

    private int _state;

    public EncodedRows Rows { get; } = rows;

    public float[] Logits { get; } = new float[rows.Rows];

    /// <summary>Completes (on the thread pool, never inline on the worker) when <see cref="Logits"/> are written.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether this item may join a batch of <paramref name="freeRows"/> more rows (multi-hot rows run alone).</summary>
    public bool FitsIn(int freeRows) => Rows.Extras is null && Rows.Rows <= freeRows;

    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;
}
