using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Simd;

/// <summary>Portable 4×32 tile for machines without SIMD (DOTNET_EnableHWIntrinsic=0); correctness, not speed.</summary>
internal readonly unsafe struct ScalarGemmKernel : IGemmMicroKernel
{
    public static string Name => "gemm-scalar";

    public static bool IsSupported => true;

    public static int Rows => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, nint ldc, int width, bool load,
                           float* bias, bool relu)
    {
        int stored = width <= 16 ? 16 : 32;
        for (int r = 0; r < 4; r++)
        {
            float* cr = c + r * ldc;
            for (int j = 0; j < stored; j += 4)
            {
                // Four independent sums per pass hide the add latency a single running sum would expose.
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                float* bp = b + j;
                float* ap = a + r * rowStride;
                for (int p = 0; p < kc; p++, bp += PackedGemmLayout.PanelWidth, ap += kStride)
                {
                    float av = *ap;
                    s0 += av * bp[0];
                    s1 += av * bp[1];
                    s2 += av * bp[2];
                    s3 += av * bp[3];
                }

                Store(cr + j, s0, load, bias, j, relu);
                Store(cr + j + 1, s1, load, bias, j + 1, relu);
                Store(cr + j + 2, s2, load, bias, j + 2, relu);
                Store(cr + j + 3, s3, load, bias, j + 3, relu);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float sum, bool load, float* bias, int column, bool relu)
    {
        float v = load ? *c + sum : sum;
        if (bias != null)
        {
            v += bias[column];
        }

        *c = relu && v < 0f ? 0f : v;
    }
}
