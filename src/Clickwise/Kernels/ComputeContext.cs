using Clickwise.Diagnostics;

namespace Clickwise.Kernels;

/// <summary>
/// How compute runs: thread count, GEMM, batch-1 matvec and optimizer kernels, the inference block size and an optional
/// step-phase profiler. Immutable (change one setting with <c>with</c>); a model keeps the context it was prepared
/// or compiled with, so two models with different settings live side by side in one process. Results do not depend
/// on <see cref="Threads"/> or <see cref="InferenceBlockRows"/>: work is split by fixed ranges and every split gives
/// the same bits.
/// </summary>
public sealed record ComputeContext
{
    private readonly int _threads = Math.Max(1, Environment.ProcessorCount);
    private readonly int _inferenceBlockRows = 264;
    private readonly BatchShard _batchShard = BatchShard.Whole;

    /// <summary>All cores, the registry's kernels (<c>CLICKWISE_KERNELS</c>), no profiler.</summary>
    public static ComputeContext Default { get; } = new();

    /// <summary>Parts a parallel pass splits into (the caller's thread runs part 0); default: all cores.</summary>
    public int Threads
    {
        get => _threads;
        init => _threads = value < 1 ? throw new ArgumentOutOfRangeException(nameof(Threads), value, "threads must be >= 1") : value;
    }

    /// <summary>The GEMM of the training layers and of the compiled plans (its blocking is the instance's own).</summary>
    public IGemm Gemm { get; init; } = KernelRegistry.Gemm;

    /// <summary>The element-wise updates of the optimizers (default: the registry's, <c>CLICKWISE_KERNELS</c>).</summary>
    public IOptimizerKernel Optimizer { get; init; } = KernelRegistry.Optimizer;

    /// <summary>
    /// The batch-1 kernel of compiled dense layers (the DNN, its output dot, and the cross, SENET and bilinear
    /// products), or null for the band-packed <see cref="Simd.PackedMatVec"/> (which repacks the weights); default:
    /// the registry's when <c>CLICKWISE_KERNELS</c> forced one, so <c>reference</c> gives the reference matvec.
    /// </summary>
    public IMatVec? MatVec { get; init; } = KernelRegistry.MatVecForced ? KernelRegistry.MatVec : null;

    /// <summary>
    /// The self-attention variants in preference order (default: the registry's, <c>CLICKWISE_KERNELS</c>); a head width
    /// runs the first whose lane count divides it (<see cref="SelfAttentionFor"/>), in training and inference alike.
    /// </summary>
    public IReadOnlyList<ISelfAttentionKernel> SelfAttention { get; init; } = KernelRegistry.SelfAttention;

    /// <summary>The first <see cref="SelfAttention"/> variant that runs heads of <paramref name="headDim"/> floats.</summary>
    public ISelfAttentionKernel SelfAttentionFor(int headDim) =>
        SelfAttention.FirstOrDefault(k => headDim % k.Lanes == 0)
        ?? throw new ArgumentException($"no self-attention kernel in this context runs head width {headDim}", nameof(headDim));

    /// <summary>
    /// Most rows per block when a compiled plan runs a thread's rows op after op. 264: a dense layer's input and output
    /// rows (2 × 400 floats each, 0.85 MB) and its packed weights (640 KB) fit a 2 MB L2.
    /// </summary>
    public int InferenceBlockRows
    {
        get => _inferenceBlockRows;
        init => _inferenceBlockRows = value < 1 ? throw new ArgumentOutOfRangeException(nameof(InferenceBlockRows), value, "block rows must be >= 1") : value;
    }

    /// <summary>
    /// Training reads its batches on the training thread instead of a background prefetch (the DeepFM paper's
    /// synchronous reading, Table I's baseline): the same batches and bits, only slower where reading costs.
    /// </summary>
    public bool SynchronousReading { get; init; }

    /// <summary>The row shard of each global batch this process trains (data parallelism); one process: the whole batch.</summary>
    public BatchShard BatchShard
    {
        get => _batchShard;
        init => _batchShard = value.Validate();
    }

    /// <summary>Receives the end of each named phase of a training step (a profiler), or null.</summary>
    public IStepPhaseSink? Phases { get; init; }

    /// <summary>Marks the end of a training-step phase; without a sink it costs one field read.</summary>
    public void EndPhase(string name) => Phases?.End(name);

    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B) with <see cref="Gemm"/> over <see cref="Threads"/> (see <see cref="IGemm"/>).</summary>
    public void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
                         int m, int n, int k, bool transA, bool transB, bool accumulate) =>
        Gemm.Multiply(a, b, c, m, n, k, transA, transB, accumulate, Threads);

    /// <summary>One line for logs: threads and the kernels chosen.</summary>
    public string Describe() => $"threads {Threads}, gemm {Gemm.Name}, matvec {MatVec?.Name ?? "packed"}, optimizer {Optimizer.Name}, attention {SelfAttention[0].Name}, inference block rows {InferenceBlockRows}{(SynchronousReading ? ", synchronous reading" : "")}";
}
