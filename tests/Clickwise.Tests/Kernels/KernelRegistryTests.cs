using System.Runtime.Intrinsics;
using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

public sealed class KernelRegistryTests
{
    [Fact]
    public void DescribeNamesEachWidthAsTheJitReportsIt()
    {
        string text = SimdInfo.Describe();
        Assert.Contains($"Vector512={(Vector512.IsHardwareAccelerated ? "on" : "off")}", text);
        Assert.Contains($"Vector256={(Vector256.IsHardwareAccelerated ? "on" : "off")}", text);
        Assert.Contains($"Vector128={(Vector128.IsHardwareAccelerated ? "on" : "off")}", text);
        TestContext.Current.SendDiagnosticMessage(KernelRegistry.Describe());
    }

    [Fact]
    public void EveryKernelListsTheReferenceFirstAndActivatesAFastVariantUnlessForced()
    {
        Assert.Equal("fm-reference", KernelRegistry.AllFM[0].Name);
        Assert.Equal("fwfm-reference", KernelRegistry.AllFwFM[0].Name);
        Assert.Equal("embedding-reference", KernelRegistry.AllEmbedding[0].Name);
        Assert.Equal("matvec-reference", KernelRegistry.AllMatVec[0].Name);
        Assert.Equal("optimizer-reference", KernelRegistry.AllOptimizer[0].Name);
        Assert.Equal("sell-reference", KernelRegistry.AllSlicedEll[0].Name);
        Assert.Equal("tensor-train-reference", KernelRegistry.AllTensorTrain[0].Name);
        Assert.Equal(Vector512.IsHardwareAccelerated, KernelRegistry.AllMatVec.Any(v => v.Name == "matvec-v512"));
        Assert.Equal(Vector256.IsHardwareAccelerated, KernelRegistry.AllMatVec.Any(v => v.Name == "matvec-v256"));

        string forced = Environment.GetEnvironmentVariable(KernelRegistry.EnvironmentVariable) ?? "";
        bool reference = forced.Split(',').Contains("reference");
        Assert.Equal(reference, KernelRegistry.FM.Name.EndsWith("-reference", StringComparison.Ordinal));
        // The batch-1 dense layers: the band-packed kernel (null) by default, the reference matvec under "reference".
        Assert.Equal(reference ? "matvec-reference" : KernelRegistry.MatVecForced ? KernelRegistry.MatVec.Name : null,
                     ComputeContext.Default.MatVec?.Name);
        Assert.Equal(reference, KernelRegistry.FwFM.Name.EndsWith("-reference", StringComparison.Ordinal));
        Assert.Equal(reference, KernelRegistry.Embedding.Name.EndsWith("-reference", StringComparison.Ordinal));
        Assert.Equal(reference, KernelRegistry.TensorTrain.Name.EndsWith("-reference", StringComparison.Ordinal));
        Assert.Equal(reference || KernelRegistry.AllOptimizer.Count == 1,
                     KernelRegistry.Optimizer.Name.EndsWith("-reference", StringComparison.Ordinal));
        Assert.Equal(reference || KernelRegistry.AllSlicedEll.Count == 1,
                     KernelRegistry.SlicedEll.Name.EndsWith("-reference", StringComparison.Ordinal));
    }

    [Fact]
    public void TheEnvironmentValueForcesANamedVariantOrTheReferences()
    {
        string[] all = ["x-reference", "x-v512", "x-v256"];
        Assert.Equal("x-v512", KernelRegistry.Pick(all, KernelRegistry.ParseForced(null), v => v));
        Assert.Equal("x-reference", KernelRegistry.Pick(all, KernelRegistry.ParseForced("reference"), v => v));
        Assert.Equal("x-v256", KernelRegistry.Pick(all, KernelRegistry.ParseForced(" gemm-v256 , x-v256"), v => v));
        // A name for another kernel (or one not available here) leaves this kernel on its default.
        Assert.Equal("x-v512", KernelRegistry.Pick(all, KernelRegistry.ParseForced("y-v256"), v => v));
    }
}
