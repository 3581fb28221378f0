namespace Clickwise.Kernels.Simd;

/// <summary>A unit of work split into fixed parts; part p of n always covers the same range (determinism).</summary>
internal interface IComputeJob
{
    void Run(int part, int partCount);
}
