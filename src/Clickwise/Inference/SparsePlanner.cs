using System.Diagnostics;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Inference;

/// <summary>
/// The compiler's choices for pruned weights. A dense layer with zeros is timed on this machine with the dense
/// kernels and each sparse format — one request, and one block of rows — and runs each way through whichever was
/// fastest; the times are recorded in the op's description. An embedding table is stored compactly when that takes under
/// <see cref="CompactTableRatio"/> of its dense bytes: a memory decision, since the compact gather costs about
/// 70 ns a row against 15 for the dense one (2 µs of a 39-field request), so it is taken only when it halves the table.
/// </summary>
internal static class SparsePlanner
{
    /// <summary>Layers denser than this are never timed: the dense kernels win by a wide margin.</summary>
    public const double MaxTimedDensity = 0.5;

    public const double CompactTableRatio = 0.5;

    private const int BlockRows = 256;

    public static IInferenceOp Embedding(float[] table, int fieldCount, int dim, int outputOffset, PlanObjective objective)
    {
        if (dim <= 64 && table.Length > 0 && Array.IndexOf(table, 0f) >= 0)
        {
            CompactEmbeddingTable compact = CompactEmbeddingTable.FromDense(table, dim);
            double ratio = objective == PlanObjective.Memory ? 1.0 : CompactTableRatio;
            if (compact.Bytes < ratio * table.LongLength * sizeof(float))
            {
                return new CompactEmbeddingGatherOp(compact, fieldCount, outputOffset);
            }
        }

        return new EmbeddingGatherOp(table, fieldCount, dim, outputOffset);
    }

    /// <summary>
    /// A pruned DNN: its layers one by one (each dense or sparse as measured), or the whole network compiled into
    /// its live sub-network (<see cref="SparseMlp"/>), whichever ran faster here — per path, single requests and
    /// blocks of rows. Unpruned layers go straight to the dense kernels. ReLU networks only: the fused ReLU of the sparse
    /// layers and the live sub-network's dead units are ReLU facts, so <see cref="CompiledModel"/> lowers a tanh network to dense layers.
    /// </summary>
    public static List<IInferenceOp> Mlp(float[][] weights, float[][] biases, int inputOffset, int inputSize, Func<int, int> allocate,
                                         Func<int> tapeWidth, IGemm gemm, IMatVec? matVec, PlanObjective objective)
    {
        bool pruned = weights.Any(w => Array.IndexOf(w, 0f) >= 0);
        if (objective == PlanObjective.Memory)
        {
            if (pruned)
            {
                SparseMlp smallest = SparseMlp.FromDense(weights, biases, inputSize);
                return [new SparseMlpOp(smallest, inputOffset, allocate(SparseMlpOp.ScratchWidth(smallest)), "the smallest plan")];
            }

            // One packed copy per layer: its GEMM form serves single requests too.
            return DenseLayers(weights, biases, inputOffset, inputSize, allocate, (w, b, n, m, relu, input, output, toLogits) =>
                new DenseOp(w, b, n, m, relu, input, output, toLogits, gemm, matVec, singleRows: false));
        }

        List<IInferenceOp> Layers(bool singleRows) => DenseLayers(weights, biases, inputOffset, inputSize, allocate,
            (w, b, n, m, relu, input, output, toLogits) => Dense(w, b, n, m, relu, input, output, toLogits, gemm, matVec, singleRows: singleRows));

        List<IInferenceOp> layered = Layers(singleRows: true);
        if (!pruned)
        {
            return layered;
        }

        SparseMlp mlp = SparseMlp.FromDense(weights, biases, inputSize);
        int scratch = allocate(SparseMlpOp.ScratchWidth(mlp));
        var chain = new SparseMlpOp(mlp, inputOffset, scratch, "");
        float[] inputs = ProbeInputs(inputSize);
        var one = new InferenceTape(1, tapeWidth());
        var block = new InferenceTape(BlockRows, tapeWidth());
        double layersOne = Time(layered, one, inputs, inputOffset, inputSize, 1001), chainOne = Time([chain], one, inputs, inputOffset, inputSize, 1001);
        double layersBlock = Time(layered, block, inputs, inputOffset, inputSize, 21), chainBlock = Time([chain], block, inputs, inputOffset, inputSize, 21);
        string measured = $"µs batch 1 / {BlockRows} rows: layers {layersOne:F2} / {layersBlock:F1}, live sub-network {chainOne:F2} / {chainBlock:F1}";
        chain = new SparseMlpOp(mlp, inputOffset, scratch, measured);
        bool chainForOne = chainOne < layersOne, chainForBlocks = chainBlock < layersBlock;
        return (chainForOne, chainForBlocks) switch
        {
            (true, true) => [chain],
            (false, false) => layered,
            (true, false) => [new BatchSizeSwitchOp([chain], [.. Layers(singleRows: false)])],
            (false, true) => [new BatchSizeSwitchOp([.. layered], [chain])],
        };
    }

    private delegate IInferenceOp LayerFactory(float[] weight, float[] bias, int inputSize, int outputSize, bool relu, int inputOffset,
                                               int outputOffset, bool toLogits);

    /// <summary>The layers one by one, ReLU after each but the last, which adds to the logits.</summary>
    private static List<IInferenceOp> DenseLayers(float[][] weights, float[][] biases, int inputOffset, int inputSize,
                                                  Func<int, int> allocate, LayerFactory layer)
    {
        var layers = new List<IInferenceOp>();
        int input = inputOffset, size = inputSize;
        for (int l = 0; l < weights.Length; l++)
        {
            bool last = l == weights.Length - 1;
            int output = allocate(biases[l].Length);
            layers.Add(layer(weights[l], biases[l], size, biases[l].Length, relu: !last, input, output, toLogits: last));
            input = output;
            size = biases[l].Length;
        }

        return layers;
    }

    /// <summary>
    /// One layer y = x·W + b (ReLU optional): for speed, the dense kernels or the sparse format each path ran fastest with (the times
    /// recorded in the op's description, also when the dense kernels won); for memory, the form of fewest bytes.
    /// </summary>
    public static IInferenceOp Dense(float[] weight, float[] bias, int inputSize, int outputSize, bool relu, int inputOffset, int outputOffset,
                                     bool toLogits, IGemm gemm, IMatVec? matVec, PlanObjective objective = PlanObjective.Speed,
                                     bool singleRows = true)
    {
        CsrMatrix csr = CsrMatrix.FromDense(weight, inputSize, outputSize);
        if (objective == PlanObjective.Memory)
        {
            ISparseMatrix smallest = new ISparseMatrix[] { SlicedEllMatrix.FromDense(weight, inputSize, outputSize), csr }.MinBy(m => m.Bytes)!;
            return smallest.Bytes < weight.LongLength * sizeof(float)
                ? new SparseDenseOp(smallest, smallest, bias, relu, inputOffset, outputOffset, toLogits, null, "the smallest form")
                : new DenseOp(weight, bias, inputSize, outputSize, relu, inputOffset, outputOffset, toLogits, gemm, matVec, singleRows: false);
        }

        if (outputSize == 1 || csr.Density > MaxTimedDensity)
        {
            return new DenseOp(weight, bias, inputSize, outputSize, relu, inputOffset, outputOffset, toLogits, gemm, matVec);
        }

        // Each candidate runs on a private tape laid out like the real one, with ReLU-like inputs (half of them
        // zero) that change from call to call as requests do: a kernel that branches on the input is not timed on
        // one pattern its branch predictor has learnt.
        ISparseMatrix[] formats = [SlicedEllMatrix.FromDense(weight, inputSize, outputSize), csr];
        float[] inputs = ProbeInputs(inputSize);
        var one = new InferenceTape(1, inputSize + outputSize);
        var block = new InferenceTape(BlockRows, inputSize + outputSize);
        var probeDense = new DenseOp(weight, bias, inputSize, outputSize, relu, 0, inputSize, false, gemm, matVec, singleRows);
        double denseOne = singleRows ? Time([probeDense], one, inputs, 0, inputSize, 1001) : 0;
        double denseBlock = Time([probeDense], block, inputs, 0, inputSize, 21);
        ISparseMatrix? bestOne = null, bestBlock = null;
        double bestOneMicros = denseOne, bestBlockMicros = denseBlock;
        var measured = new List<string> { $"µs batch 1 / {BlockRows} rows: dense {denseOne:F2} / {denseBlock:F1}" };
        foreach (ISparseMatrix format in formats)
        {
            var probe = new SparseDenseOp(format, format, bias, relu, 0, inputSize, false, null, "");
            double micros1 = singleRows ? Time([probe], one, inputs, 0, inputSize, 1001) : 0;
            double microsBlock = Time([probe], block, inputs, 0, inputSize, 21);
            measured.Add($"{format.Format} {micros1:F2} / {microsBlock:F1}");
            if (singleRows && micros1 < bestOneMicros)
            {
                (bestOne, bestOneMicros) = (format, micros1);
            }

            if (microsBlock < bestBlockMicros)
            {
                (bestBlock, bestBlockMicros) = (format, microsBlock);
            }
        }

        // The dense op keeps only the path no sparse format won, so memory shrinks with what was pruned.
        DenseOp? rest = (bestOne is not null || !singleRows) && bestBlock is not null
            ? null
            : new DenseOp(weight, bias, inputSize, outputSize, relu, inputOffset, outputOffset, toLogits, gemm, matVec,
                singleRows: singleRows && bestOne is null, blocks: bestBlock is null, measured: string.Join(", ", measured));
        return bestOne is null && bestBlock is null
            ? rest!
            : new SparseDenseOp(bestOne, bestBlock, bias, relu, inputOffset, outputOffset, toLogits, rest, string.Join(", ", measured));
    }

    /// <summary>
    /// Whether a pruned layer y = x·W + b over [B, <paramref name="inputs"/>], planned by <see cref="Dense"/>, ran faster here than
    /// the dense layer <paramref name="folded"/> over [B, <paramref name="foldedInputs"/>] that computes the same (AFM's projection
    /// folded in) both for one request and for a block of rows.
    /// </summary>
    public static bool PrunedRunsFaster(float[] weight, float[] bias, int inputs, float[] folded, float[] foldedBias, int foldedInputs, bool relu,
                                        IGemm gemm, IMatVec? matVec)
    {
        int outputs = bias.Length;
        (double One, double Block) Micros(IInferenceOp op, int width)
        {
            float[] probe = ProbeInputs(width);
            return (Time([op], new InferenceTape(1, width + outputs), probe, 0, width, 1001),
                Time([op], new InferenceTape(BlockRows, width + outputs), probe, 0, width, 21));
        }

        (double prunedOne, double prunedBlock) = Micros(Dense(weight, bias, inputs, outputs, relu, 0, inputs, false, gemm, matVec), inputs);
        (double foldedOne, double foldedBlock) = Micros(
            new DenseOp(folded, foldedBias, foldedInputs, outputs, relu, 0, foldedInputs, false, gemm, matVec), foldedInputs);
        return prunedOne < foldedOne && prunedBlock < foldedBlock;
    }

    private static float[] ProbeInputs(int inputSize)
    {
        var random = new Random(1);
        float[] inputs = new float[BlockRows * inputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.Next(2) == 0 ? 0f : (float)random.NextDouble();
        }

        return inputs;
    }

    /// <summary>Median µs of running <paramref name="ops"/> over all of the tape's rows, each call on fresh input rows copied in untimed.</summary>
    private static double Time(IReadOnlyList<IInferenceOp> ops, InferenceTape tape, float[] inputs, int inputOffset, int inputSize, int repetitions)
    {
        int rows = tape.MaxBatchSize, available = inputs.Length / inputSize;
        var micros = new double[repetitions];
        float[] logits = new float[rows];
        Span<float> x = tape.Region(inputOffset, inputSize, rows);
        for (int k = 0; k < repetitions; k++)
        {
            for (int r = 0; r < rows; r++)
            {
                inputs.AsSpan((k * rows + r) % available * inputSize, inputSize).CopyTo(x.Slice(r * inputSize, inputSize));
            }

            long t0 = Stopwatch.GetTimestamp();
            foreach (IInferenceOp op in ops)
            {
                op.RunRows(tape, default, default, default, rows, 0, rows, logits);
            }

            micros[k] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        Array.Sort(micros);
        return micros[repetitions / 2];
    }
}
