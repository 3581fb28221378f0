using System.Runtime.InteropServices;

namespace Clickwise.Distributed.Mpi;

/// <summary>
/// OpenMPI's C API (<c>libmpi.so.40</c>, Open MPI 4.x), bound by function pointer. Its predefined handles
/// (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are addresses of exported data symbols
/// (<c>ompi_mpi_comm_world</c>, …), so they are looked up like functions. MPICH-based libraries use integer handles
/// instead and are not supported.
/// </summary>
internal sealed unsafe partial class MpiLibrary
{
    public const string FileName = "libmpi.so.40";

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call, one at a time (training runs off the main thread).</summary>
    public const int ThreadSerialized = 2;

    private const int Success = 0;

    // dlopen flags: OpenMPI dlopens its own components (mca_*.so), which resolve libmpi's symbols globally.
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    private readonly nint _library;

    private MpiLibrary(nint library)
    {
        _library = library;
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Int = Export("ompi_mpi_int");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
        InitThread = (delegate* unmanaged<int*, nint, int, int*, int>)Export("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export("MPI_Allgather");
        Allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)Export("MPI_Allgatherv");
        Alltoall = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export("MPI_Alltoall");
        Alltoallv = (delegate* unmanaged<void*, int*, int*, nint, void*, int*, int*, nint, nint, int>)Export("MPI_Alltoallv");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
    }

    public nint CommWorld { get; }

    public nint Float { get; }

    public nint Int { get; }

    public nint Byte { get; }

    public nint Sum { get; }

    public delegate* unmanaged<int*, nint, int, int*, int> InitThread { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }

    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Allgather { get; }

    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> Allgatherv { get; }

    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Alltoall { get; }

    public delegate* unmanaged<void*, int*, int*, nint, void*, int*, int*, nint, nint, int> Alltoallv { get; }

    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    public delegate* unmanaged<nint, int> Barrier { get; }

    public delegate* unmanaged<nint, int, int> Abort { get; }

    public delegate* unmanaged<int> Finalize { get; }

    /// <summary>Loads the library, or says how to install it.</summary>
    public static MpiLibrary Load()
    {
        nint handle = DlOpen(FileName, RtldNow | RtldGlobal);
        if (handle == 0)
        {
            throw new DllNotFoundException($"{FileName} could not be loaded ({Marshal.PtrToStringUTF8(DlError())}); --distributed mpi needs "
                + "Open MPI 4 (Debian/Ubuntu: apt-get install openmpi-bin) and the job started by mpirun");
        }

        return new MpiLibrary(handle);
    }

    /// <summary>Turns a non-success return into an exception naming the call (with the default error handler, MPI aborts first).</summary>
    public static void Check(int code, string call)
    {
        if (code != Success)
        {
            throw new InvalidOperationException($"{call} failed with MPI error {code}");
        }
    }

    private nint Export(string name) => NativeLibrary.TryGetExport(_library, name, out nint address)
        ? address
        : throw new EntryPointNotFoundException($"{FileName} has no symbol {name}: --distributed mpi needs Open MPI 4 (not MPICH)");

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial nint DlError();
}
