namespace Clickwise.Distributed.Mpi;

/// <summary>
/// <see cref="ICommunicator"/> over MPI_COMM_WORLD. <see cref="Initialize"/> once per process (MPI cannot start
/// twice); <see cref="Dispose"/> finalizes after a run that ended well. A failed rank calls <see cref="Abort"/>
/// instead, which ends the whole job at once rather than leaving the others waiting in a collective.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    private readonly MpiLibrary _mpi;
    private bool _finalized;

    private MpiCommunicator(MpiLibrary mpi, int rank, int size)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
    }

    public int Rank { get; }

    public int Size { get; }

    /// <summary>MPI_Init_thread (serialized) on MPI_COMM_WORLD; a process started without mpirun is a job of one.</summary>
    public static MpiCommunicator Initialize()
    {
        MpiLibrary mpi = MpiLibrary.Load();
        int initialized, provided, rank, size;
        MpiLibrary.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized != 0)
        {
            throw new InvalidOperationException("MPI is already initialized in this process");
        }

        MpiLibrary.Check(mpi.InitThread(null, 0, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
        if (provided < MpiLibrary.ThreadSerialized)
        {
            throw new InvalidOperationException($"MPI provides thread level {provided}, training needs MPI_THREAD_SERIALIZED ({MpiLibrary.ThreadSerialized})");
        }

        MpiLibrary.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        MpiLibrary.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(mpi, rank, size);
    }

    public void AllreduceSum(Span<float> values)
    {
        fixed (float* p = values)
        {
            // MPI_IN_PLACE is (void*)1 in Open MPI.
            MpiLibrary.Check(_mpi.Allreduce((void*)1, p, values.Length, _mpi.Float, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
        }
    }

    public void Allgather(int value, Span<int> receive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(receive.Length, Size);
        fixed (int* r = receive)
        {
            MpiLibrary.Check(_mpi.Allgather(&value, 1, _mpi.Int, r, 1, _mpi.Int, _mpi.CommWorld), "MPI_Allgather");
        }
    }

    public void AllgatherV(ReadOnlySpan<byte> send, Span<byte> receive, ReadOnlySpan<int> counts)
    {
        Span<int> offsets = stackalloc int[Size];
        int total = Offsets(counts, offsets);
        RequireLength(receive.Length, total, "AllgatherV");
        fixed (byte* s = send, r = receive)
        fixed (int* c = counts, o = offsets)
        {
            MpiLibrary.Check(_mpi.Allgatherv(s, counts[Rank], _mpi.Byte, r, c, o, _mpi.Byte, _mpi.CommWorld), "MPI_Allgatherv");
        }
    }

    public void Alltoall(ReadOnlySpan<int> sendCounts, Span<int> receive)
    {
        fixed (int* s = sendCounts, r = receive)
        {
            MpiLibrary.Check(_mpi.Alltoall(s, 1, _mpi.Int, r, 1, _mpi.Int, _mpi.CommWorld), "MPI_Alltoall");
        }
    }

    public void AlltoallV(ReadOnlySpan<byte> send, ReadOnlySpan<int> sendCounts, Span<byte> receive, ReadOnlySpan<int> receiveCounts)
    {
        Span<int> sendOffsets = stackalloc int[Size];
        Span<int> receiveOffsets = stackalloc int[Size];
        RequireLength(send.Length, Offsets(sendCounts, sendOffsets), "AlltoallV send");
        RequireLength(receive.Length, Offsets(receiveCounts, receiveOffsets), "AlltoallV receive");
        fixed (byte* s = send, r = receive)
        fixed (int* sc = sendCounts, so = sendOffsets, rc = receiveCounts, ro = receiveOffsets)
        {
            MpiLibrary.Check(_mpi.Alltoallv(s, sc, so, _mpi.Byte, r, rc, ro, _mpi.Byte, _mpi.CommWorld), "MPI_Alltoallv");
        }
    }

    public void Broadcast(Span<byte> buffer, int root)
    {
        fixed (byte* p = buffer)
        {
            MpiLibrary.Check(_mpi.Bcast(p, buffer.Length, _mpi.Byte, root, _mpi.CommWorld), "MPI_Bcast");
        }
    }

    public void Barrier() => MpiLibrary.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");

    public void Abort(int exitCode)
    {
        Console.Error.Flush();
        _mpi.Abort(_mpi.CommWorld, exitCode);
    }

    /// <summary>MPI_Finalize, once; every rank must reach it.</summary>
    public void Dispose()
    {
        if (!_finalized)
        {
            _finalized = true;
            MpiLibrary.Check(_mpi.Finalize(), "MPI_Finalize");
        }
    }

    /// <summary>Exclusive prefix sums of <paramref name="counts"/> into <paramref name="offsets"/>; returns the total.</summary>
    private static int Offsets(ReadOnlySpan<int> counts, Span<int> offsets)
    {
        int total = 0;
        for (int r = 0; r < offsets.Length; r++)
        {
            offsets[r] = total;
            total = checked(total + counts[r]);
        }

        return total;
    }

    private static void RequireLength(int length, int needed, string call)
    {
        if (length < needed)
        {
            throw new ArgumentException($"{call}: the buffer holds {length} bytes, the counts need {needed}");
        }
    }
}
