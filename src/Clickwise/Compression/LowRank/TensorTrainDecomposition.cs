using Clickwise.Kernels;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// TT-SVD (Oseledets 2011, Algorithm 1) of one field's trained rows [V, D] into the cores of a
/// <see cref="TensorTrainShape"/>: the rows, zero-padded to p1·p2·p3, are read as the tensor over (i1 j1)(i2 j2)(i3 j3),
/// and two sequential truncated SVDs split off one core each. Each SVD goes through <see cref="EigenBasis"/> (the same
/// eigensolver as AFM) on the Gram matrix of the unfolding's shorter side, so the largest one is (p1·q1)² however large V
/// is. At the full TT ranks the train reproduces the rows up to rounding; truncated, each cut keeps its best rank-r part.
/// </summary>
public static class TensorTrainDecomposition
{
    /// <summary>The cores (laid out as <see cref="TensorTrainShape"/> says) and the eigenvalues (σ²) of the first cut's unfolding.</summary>
    public static (float[] Cores, double[] FirstCut) Decompose(ReadOnlySpan<float> rows, int vocabulary, TensorTrainShape shape)
    {
        int[] p = shape.RowFactors, q = shape.DimFactors, r = shape.Ranks;
        int dim = shape.Dim;
        if (rows.Length != (long)vocabulary * dim || vocabulary > shape.Capacity)
        {
            throw new ArgumentException($"{rows.Length} values are not {vocabulary} rows of {dim} within the train's {shape.Capacity} rows.");
        }

        double[] unfolding = Tensor(rows, vocabulary, shape);
        var cores = new float[shape.Length];
        double[] firstCut = [];
        int height = p[0] * q[0];
        for (int k = 0; k < TensorTrainShape.CoreCount - 1; k++)
        {
            int width = unfolding.Length / height;
            (double[] left, double[] right, double[] eigenvalues) = Truncate(unfolding, height, width, r[k + 1]);
            firstCut = k == 0 ? eigenvalues : firstCut;
            // left [(a, i, j), b] → core k [i, a, j, b]
            for (int a = 0; a < r[k]; a++)
            {
                for (int i = 0; i < p[k]; i++)
                {
                    for (int j = 0; j < q[k]; j++)
                    {
                        for (int b = 0; b < r[k + 1]; b++)
                        {
                            cores[shape.CoreOffset(k) + ((i * r[k] + a) * q[k] + j) * r[k + 1] + b] =
                                (float)left[((a * p[k] + i) * q[k] + j) * r[k + 1] + b];
                        }
                    }
                }
            }

            unfolding = right; // [r_{k+1}, rest], read next as [r_{k+1}·p·q, rest / (p·q)]
            height = r[k + 1] * p[k + 1] * q[k + 1];
        }

        const int last = TensorTrainShape.CoreCount - 1;
        for (int b = 0; b < r[last]; b++)
        {
            for (int i = 0; i < p[last]; i++)
            {
                for (int j = 0; j < q[last]; j++)
                {
                    cores[shape.CoreOffset(last) + (i * r[last] + b) * q[last] + j] = (float)unfolding[(b * p[last] + i) * q[last] + j];
                }
            }
        }

        return (cores, firstCut);
    }

    /// <summary>‖rows − train‖_F / ‖rows‖_F over the field's V rows (0 for an all-zero field reproduced exactly).</summary>
    public static double RelativeError(ReadOnlySpan<float> rows, int vocabulary, TensorTrainShape shape, ReadOnlySpan<float> cores)
    {
        int dim = shape.Dim;
        var row = new float[dim];
        var scratch = new float[shape.ForwardScratchLength];
        double error = 0, norm = 0;
        for (int v = 0; v < vocabulary; v++)
        {
            KernelRegistry.TensorTrain.Forward(cores, shape, v, 1f, row, scratch);
            for (int d = 0; d < dim; d++)
            {
                double x = rows[v * dim + d];
                error += (x - row[d]) * (x - row[d]);
                norm += x * x;
            }
        }

        return norm == 0 ? Math.Sqrt(error) : Math.Sqrt(error / norm);
    }

    /// <summary>The rows as the tensor (i1 j1 i2 j2 i3 j3), row-major, zero past V: the first cut's [p1·q1, rest] unfolding.</summary>
    private static double[] Tensor(ReadOnlySpan<float> rows, int vocabulary, TensorTrainShape shape)
    {
        int[] p = shape.RowFactors, q = shape.DimFactors;
        var tensor = new double[checked((int)(shape.Capacity * shape.Dim))];
        Span<int> i = stackalloc int[TensorTrainShape.CoreCount];
        for (int v = 0; v < vocabulary; v++)
        {
            shape.Digits(v, i);
            for (int j1 = 0; j1 < q[0]; j1++)
            {
                for (int j2 = 0; j2 < q[1]; j2++)
                {
                    for (int j3 = 0; j3 < q[2]; j3++)
                    {
                        int at = ((((i[0] * q[0] + j1) * p[1] + i[1]) * q[1] + j2) * p[2] + i[2]) * q[2] + j3;
                        tensor[at] = rows[v * shape.Dim + (j1 * q[1] + j2) * q[2] + j3];
                    }
                }
            }
        }

        return tensor;
    }

    /// <summary>
    /// The best rank-<paramref name="rank"/> split M ≈ left [m, rank] · right [rank, n] of M [m, n], from the eigenpairs of
    /// the shorter side's Gram matrix: M·Mᵀ = U·S²·Uᵀ gives left = U_r, right = U_rᵀ·M; MᵀM = V·S²·Vᵀ gives left = M·V_r,
    /// right = V_rᵀ. Also returns the eigenvalues (σ²).
    /// </summary>
    private static (double[] Left, double[] Right, double[] Eigenvalues) Truncate(double[] m, int height, int width, int rank)
    {
        bool tall = height > width;
        int side = tall ? width : height;
        var gram = new double[side * side];
        if (tall)
        {
            for (int row = 0; row < height; row++)
            {
                ReadOnlySpan<double> x = m.AsSpan(row * width, width);
                for (int a = 0; a < width; a++)
                {
                    for (int b = 0; b < width; b++)
                    {
                        gram[a * width + b] += x[a] * x[b];
                    }
                }
            }
        }
        else
        {
            for (int a = 0; a < height; a++)
            {
                for (int b = a; b < height; b++)
                {
                    double dot = Dot(m.AsSpan(a * width, width), m.AsSpan(b * width, width));
                    gram[a * height + b] = gram[b * height + a] = dot;
                }
            }
        }

        EigenBasis basis = EigenBasis.Of(gram, side, new double[side]);
        var left = new double[height * rank];
        var right = new double[rank * width];
        for (int c = 0; c < rank; c++)
        {
            if (tall)
            {
                for (int col = 0; col < width; col++)
                {
                    right[c * width + col] = basis.Vector(col, c);
                }

                for (int row = 0; row < height; row++)
                {
                    double sum = 0;
                    for (int col = 0; col < width; col++)
                    {
                        sum += m[row * width + col] * basis.Vector(col, c);
                    }

                    left[row * rank + c] = sum;
                }
            }
            else
            {
                for (int row = 0; row < height; row++)
                {
                    left[row * rank + c] = basis.Vector(row, c);
                    double u = basis.Vector(row, c);
                    for (int col = 0; col < width; col++)
                    {
                        right[c * width + col] += u * m[row * width + col];
                    }
                }
            }
        }

        return (left, right, basis.Values);
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
