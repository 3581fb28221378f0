using System.Runtime.Intrinsics;
using Clickwise.Kernels.Reference;
using Clickwise.Kernels.Simd;

namespace Clickwise.Kernels;

/// <summary>
/// The active implementation of every compute kernel, and every variant this CPU can run (for tests and
/// benchmarks). The fastest accelerated variant is active; <c>CLICKWISE_KERNELS=reference</c> forces the
/// plain-loop references, and a variant name (comma separated, e.g. <c>gemm-v256,matvec-v256</c>) forces that one.
/// Variants whose SIMD width the JIT does not accelerate here are not registered.
/// </summary>
public static class KernelRegistry
{
    public const string EnvironmentVariable = "CLICKWISE_KERNELS";

    static KernelRegistry()
    {
        string[] forced = ParseForced(Environment.GetEnvironmentVariable(EnvironmentVariable));

        AllGemm = Available<IGemm>(
            new ReferenceGemm(),
            Vector512GemmKernel.IsSupported ? new PackedGemm<Vector512GemmKernel>() : null,
            Vector256GemmKernel.IsSupported ? new PackedGemm<Vector256GemmKernel>() : null,
            new PackedGemm<ScalarGemmKernel>());
        Gemm = Pick(AllGemm, forced, g => g.Name == "reference" ? "gemm-reference" : g.Name);

        AllMatVec = Available<IMatVec>(
            new ReferenceMatVec(),
            Lanes512.IsSupported ? new LaneMatVec<Lanes512, Vector512<float>>() : null,
            Lanes256.IsSupported ? new LaneMatVec<Lanes256, Vector256<float>>() : null,
            new LaneMatVec<LanesScalar, float>());
        MatVec = Pick(AllMatVec, forced, v => v.Name);
        MatVecForced = !ReferenceEquals(MatVec, Pick(AllMatVec, [], v => v.Name));

        AllEmbedding = [new ReferenceEmbedding(), new SimdEmbedding()];
        Embedding = Pick(AllEmbedding, forced, v => v.Name);

        AllFM = [new ReferenceFM(), new SimdFM()];
        FM = Pick(AllFM, forced, v => v.Name);

        AllFFM = [new ReferenceFFM(), new SimdFFM()];
        FFM = Pick(AllFFM, forced, v => v.Name);

        AllFwFM = Available<IFwFMKernel>(
            new ReferenceFwFM(),
            Lanes512.IsSupported ? new LaneFwFM<Lanes512, Vector512<float>>() : null,
            Lanes256.IsSupported ? new LaneFwFM<Lanes256, Vector256<float>>() : null,
            new LaneFwFM<LanesScalar, float>());
        FwFM = Pick(AllFwFM, forced, v => v.Name);

        AllOptimizer = Available<IOptimizerKernel>(
            new ReferenceOptimizer(),
            Lanes512.IsSupported ? new LaneOptimizer<Lanes512, Vector512<float>>() : null,
            Lanes256.IsSupported ? new LaneOptimizer<Lanes256, Vector256<float>>() : null);
        Optimizer = Pick(AllOptimizer, forced, v => v.Name);

        AllSlicedEll = Available<ISlicedEllKernel>(new ReferenceSlicedEll(), GatherSlicedEll.IsSupported ? new GatherSlicedEll() : null);
        SlicedEll = Pick(AllSlicedEll, forced, v => v.Name);

        AllTensorTrain = [new TensorTrainChain<ScalarSliceOps>("tensor-train-reference"), new TensorTrainChain<VectorSliceOps>("tensor-train-vector")];
        TensorTrain = Pick(AllTensorTrain, forced, v => v.Name);

        AllReluDropout = [new ReferenceReluDropout(), new VectorReluDropout()];
        ReluDropout = Pick(AllReluDropout, forced, v => v.Name);

        AllSelfAttention = Available<ISelfAttentionKernel>(
            new LaneSelfAttention<LanesScalar, float>(),
            Lanes512.IsSupported ? new LaneSelfAttention<Lanes512, Vector512<float>>() : null,
            Lanes256.IsSupported ? new LaneSelfAttention<Lanes256, Vector256<float>>() : null);
        ISelfAttentionKernel named = Pick(AllSelfAttention, forced, v => v.Name);
        SelfAttention = forced.Contains("reference") || AllSelfAttention.Count == 1 ? [AllSelfAttention[0]]
            : ReferenceEquals(named, AllSelfAttention[1]) ? [.. AllSelfAttention.Skip(1), AllSelfAttention[0]]
            : [named, AllSelfAttention[0]];
    }

    /// <summary>Every GEMM variant runnable here: the reference first, then fastest to slowest.</summary>
    public static IReadOnlyList<IGemm> AllGemm { get; }

    public static IGemm Gemm { get; }

    /// <summary>Every batch-1 matrix-vector variant: the reference first, then fastest to slowest.</summary>
    public static IReadOnlyList<IMatVec> AllMatVec { get; }

    public static IMatVec MatVec { get; }

    /// <summary>
    /// True when <see cref="EnvironmentVariable"/> chose the matvec (a variant name, or <c>reference</c>); otherwise
    /// inference plans use their band-packed batch-1 kernel (<see cref="Simd.PackedMatVec"/>), which needs a repacked
    /// copy of the weights.
    /// </summary>
    public static bool MatVecForced { get; }

    public static IReadOnlyList<IEmbeddingKernel> AllEmbedding { get; }

    public static IEmbeddingKernel Embedding { get; }

    public static IReadOnlyList<IFMKernel> AllFM { get; }

    public static IFMKernel FM { get; }

    /// <summary>The FFM pair term: the reference, then the prefetching vector-chunk kernel.</summary>
    public static IReadOnlyList<IFFMKernel> AllFFM { get; }

    public static IFFMKernel FFM { get; }

    public static IReadOnlyList<IFwFMKernel> AllFwFM { get; }

    public static IFwFMKernel FwFM { get; }

    /// <summary>
    /// Every optimizer-update variant: the reference first, then fastest to slowest. No one-lane variant: the reference
    /// is the scalar body, and <c>LaneOptimizer&lt;LanesScalar, float&gt;</c> measured 3× slower (its sqrtss merges
    /// into the register of the previous element's, chaining the elements).
    /// </summary>
    public static IReadOnlyList<IOptimizerKernel> AllOptimizer { get; }

    public static IOptimizerKernel Optimizer { get; }

    /// <summary>The pruned-layer products (sliced ELLPACK): the reference, then the AVX2 gather where it runs.</summary>
    public static IReadOnlyList<ISlicedEllKernel> AllSlicedEll { get; }

    public static ISlicedEllKernel SlicedEll { get; }

    /// <summary>The tensor-train row contraction: the plain-loop chain, then the <c>TensorPrimitives</c> one.</summary>
    public static IReadOnlyList<ITensorTrainKernel> AllTensorTrain { get; }

    public static ITensorTrainKernel TensorTrain { get; }

    /// <summary>The Mlp's ReLU/dropout passes: the plain loops, then the <c>Vector&lt;T&gt;</c> bodies (the same bits).</summary>
    public static IReadOnlyList<IReluDropoutKernel> AllReluDropout { get; }

    public static IReluDropoutKernel ReluDropout { get; }

    /// <summary>
    /// Every self-attention variant: the reference (the one-lane form) first, then fastest to slowest. A variant runs
    /// head widths that are multiples of its lane count.
    /// </summary>
    public static IReadOnlyList<ISelfAttentionKernel> AllSelfAttention { get; }

    /// <summary>
    /// The self-attention variants in the order a head width tries them (<see cref="ComputeContext.SelfAttentionFor"/>):
    /// the fast ones widest first, then the reference; a forced name, then the reference; or the reference alone.
    /// </summary>
    public static IReadOnlyList<ISelfAttentionKernel> SelfAttention { get; }

    /// <summary>One line naming the SIMD widths and every active kernel (for logs and CI output).</summary>
    public static string Describe() =>
        $"{SimdInfo.Describe()}; kernels: {Gemm.Name}, {MatVec.Name}, {Embedding.Name}, {FM.Name}, {FFM.Name}, {FwFM.Name}, {Optimizer.Name}, {SlicedEll.Name}, {SelfAttention[0].Name}, {ReluDropout.Name}, {TensorTrain.Name}";

    /// <summary>The comma-separated names in <c>CLICKWISE_KERNELS</c>.</summary>
    internal static string[] ParseForced(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IReadOnlyList<T> Available<T>(params T?[] variants)
        where T : class => [.. variants.OfType<T>()];

    /// <summary>A forced name if one matches, the reference if "reference" is forced, else the first fast variant.</summary>
    internal static T Pick<T>(IReadOnlyList<T> all, string[] forced, Func<T, string> name)
    {
        foreach (string wanted in forced)
        {
            foreach (T variant in all)
            {
                if (name(variant) == wanted)
                {
                    return variant;
                }
            }
        }

        return forced.Contains("reference") || all.Count == 1 ? all[0] : all[1];
    }
}
