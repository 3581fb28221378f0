namespace Clickwise.Distributed;

/// <summary>
/// Bytes this rank sent and time it spent in collectives: waiting for the slowest rank to finish its backward pass
/// (a barrier before the exchange), then moving the dense (allreduce) and embedding (allgatherv/alltoallv) gradients.
/// </summary>
public sealed class CommunicationStats
{
    public long Steps { get; internal set; }

    public long DenseBytes { get; internal set; }

    public long EmbeddingBytes { get; internal set; }

    public TimeSpan DenseTime { get; internal set; }

    public TimeSpan EmbeddingTime { get; internal set; }

    public TimeSpan WaitTime { get; internal set; }

    /// <summary>Bytes sent per step (dense + embedding).</summary>
    public double BytesPerStep => Steps == 0 ? 0 : (DenseBytes + EmbeddingBytes) / (double)Steps;

    public double MillisecondsPerStep => Steps == 0 ? 0 : (WaitTime + DenseTime + EmbeddingTime).TotalMilliseconds / Steps;

    public override string ToString() => Steps == 0 ? "no steps" :
        $"{BytesPerStep / 1e6:F3} MB sent per step (dense {DenseBytes / 1e6 / Steps:F3}, embedding {EmbeddingBytes / 1e6 / Steps:F3}), "
        + $"{MillisecondsPerStep:F2} ms per step in collectives (waiting for the slowest rank {WaitTime.TotalMilliseconds / Steps:F2}, "
        + $"dense {DenseTime.TotalMilliseconds / Steps:F2}, embedding {EmbeddingTime.TotalMilliseconds / Steps:F2}) over {Steps:N0} steps";
}
