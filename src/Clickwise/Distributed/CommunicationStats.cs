namespace Clickwise.Distributed;

/// <summary>
/// Bytes this rank sent and time it spent in collectives, dense (allreduce) and embedding (allgatherv/alltoallv)
/// apart. Time includes waiting for the slowest rank, which is what a step pays.
/// </summary>
public sealed class CommunicationStats
{
    public long Steps { get; internal set; }

    public long DenseBytes { get; internal set; }

    public long EmbeddingBytes { get; internal set; }

    public TimeSpan DenseTime { get; internal set; }

    public TimeSpan EmbeddingTime { get; internal set; }

    /// <summary>Bytes sent per step (dense + embedding).</summary>
    public double BytesPerStep => Steps == 0 ? 0 : (DenseBytes + EmbeddingBytes) / (double)Steps;

    public double MillisecondsPerStep => Steps == 0 ? 0 : (DenseTime + EmbeddingTime).TotalMilliseconds / Steps;

    public override string ToString() => Steps == 0 ? "no steps" :
        $"{BytesPerStep / 1e6:F3} MB sent per step (dense {DenseBytes / 1e6 / Steps:F3}, embedding {EmbeddingBytes / 1e6 / Steps:F3}), "
        + $"{MillisecondsPerStep:F2} ms per step in collectives (dense {DenseTime.TotalMilliseconds / Steps:F2}, "
        + $"embedding {EmbeddingTime.TotalMilliseconds / Steps:F2}) over {Steps:N0} steps";
}
