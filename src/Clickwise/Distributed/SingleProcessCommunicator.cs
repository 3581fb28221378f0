namespace Clickwise.Distributed;

/// <summary>A job of one rank: every collective is a copy or nothing.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    public static SingleProcessCommunicator Instance { get; } = new();

    public int Rank => 0;

    public int Size => 1;

    public void AllreduceSum(Span<float> values)
    {
    }

    public void Allgather(int value, Span<int> receive) => receive[0] = value;

    public void AllgatherV(ReadOnlySpan<byte> send, Span<byte> receive, ReadOnlySpan<int> counts) => Copy(send, receive, counts[0]);

    public void Alltoall(ReadOnlySpan<int> sendCounts, Span<int> receive) => receive[0] = sendCounts[0];

    public void AlltoallV(ReadOnlySpan<byte> send, ReadOnlySpan<int> sendCounts, Span<byte> receive, ReadOnlySpan<int> receiveCounts) =>
        Copy(send, receive, sendCounts[0] == receiveCounts[0] ? sendCounts[0]
            : throw new ArgumentException($"rank 0 sends itself {sendCounts[0]} bytes but expects {receiveCounts[0]}"));

    public void Broadcast(Span<byte> buffer, int root) => ArgumentOutOfRangeException.ThrowIfNotEqual(root, 0);

    public void Barrier()
    {
    }

    public void Abort(int exitCode) => Environment.Exit(exitCode);

    private static void Copy(ReadOnlySpan<byte> send, Span<byte> receive, int count) => send[..count].CopyTo(receive);
}
