namespace Clickwise.Distributed;

/// <summary>
/// The collectives data-parallel training needs, over the ranks of one job. Every rank calls the same collectives in
/// the same order with matching sizes; byte collectives carry 4-byte elements (floats and ints) packed by the caller.
/// The trainer sees only this, so training does not know MPI (<see cref="Mpi.MpiCommunicator"/>) from one process
/// (<see cref="SingleProcessCommunicator"/>).
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> − 1; rank 0 evaluates and writes.</summary>
    int Rank { get; }

    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over the ranks.</summary>
    void AllreduceSum(Span<float> values);

    /// <summary>Every rank's <paramref name="value"/> into <paramref name="receive"/> [<see cref="Size"/>], in rank order.</summary>
    void Allgather(int value, Span<int> receive);

    /// <summary>
    /// Concatenates every rank's <paramref name="send"/> in rank order into <paramref name="receive"/>; rank r sends
    /// <paramref name="counts"/>[r] bytes (known to all beforehand, e.g. from <see cref="Allgather"/>).
    /// </summary>
    void AllgatherV(ReadOnlySpan<byte> send, Span<byte> receive, ReadOnlySpan<int> counts);

    /// <summary>Personalised exchange: <paramref name="sendCounts"/>[r] to each rank r, <paramref name="receive"/>[r] from each.</summary>
    void Alltoall(ReadOnlySpan<int> sendCounts, Span<int> receive);

    /// <summary>
    /// Sends the consecutive pieces of <paramref name="send"/> (<paramref name="sendCounts"/>[r] bytes for rank r) and
    /// receives rank r's piece for this rank, <paramref name="receiveCounts"/>[r] bytes, in rank order.
    /// </summary>
    void AlltoallV(ReadOnlySpan<byte> send, ReadOnlySpan<int> sendCounts, Span<byte> receive, ReadOnlySpan<int> receiveCounts);

    /// <summary>Rank <paramref name="root"/>'s bytes into every rank's <paramref name="buffer"/>.</summary>
    void Broadcast(Span<byte> buffer, int root);

    void Barrier();

    /// <summary>Ends every rank of the job now with <paramref name="exitCode"/> (a failed rank takes the job down, fast).</summary>
    void Abort(int exitCode);
}
