using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>Central-difference checks of every layer's backward against its forward (inputs and parameters).</summary>
public sealed class LayerGradientTests(ITestOutputHelper output)
{
    private const int B = 5, F = 4, D = 3, V = 11;

    private static float[] Random(int n, long seed, double scale = 1.0)
    {
        float[] x = GradientCheck.RandomWeights(n, seed);
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(x[i] * scale);
        }

        return x;
    }

    private static int[] Ids(long seed)
    {
        var random = new SeededRandom(seed);
        var ids = new int[B * F];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = (int)(random.NextUInt64() % V);
        }

        ids[0] = ids[5] = 7; // a repeated id must sum its gradients
        return ids;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmbeddingTableAndValues(bool hasValues)
    {
        float[] table = Random(V * D, 1), values = Random(B * F, 2), r = Random(B * F * D, 3);
        int[] ids = Ids(4);
        var outBuf = new float[B * F * D];
        double Loss()
        {
            Embedding.Forward(table, ids, values, hasValues, B, F, D, outBuf);
            return GradientCheck.Dot(outBuf, r);
        }

        Parameter p = Parameter.RowSparse("embedding", ParameterRole.Embedding, V, D).PrepareRowGradient(B * F);
        table.CopyTo(p.Value, 0);
        var dValues = new float[B * F];
        Embedding.Backward(table, ids, values, hasValues, r, B, F, D, p.RowGrad!, dValues);
        GradientCheck.Check("embedding.table", table, GradientCheck.Densify(p), Loss, output: output);
        if (hasValues)
        {
            GradientCheck.Check("embedding.values", values, dValues, Loss, output: output);
        }
    }

    /// <summary>
    /// One quotient-remainder lookup e = x·(Q ∘ R): the gradients of Q (the gather's, which the table's scatter scales by x) and R
    /// against central differences of L = Σ e ⊙ r.
    /// </summary>
    [Theory]
    [InlineData(QrOperation.Multiply)]
    [InlineData(QrOperation.Add)]
    public void QuotientRemainderLookup(QrOperation operation)
    {
        const float X = 0.7f;
        float[] quotient = Random(D, 21), remainder = Random(D, 22), r = Random(D, 23);
        var e = new float[D];
        double Loss()
        {
            for (int d = 0; d < D; d++)
            {
                e[d] = X * quotient[d];
            }

            QuotientRemainder.Forward(remainder, X, operation, e);
            return GradientCheck.Dot(e, r);
        }

        float[] dGather = [.. r];
        var dRemainder = new float[D];
        QuotientRemainder.Backward(quotient, remainder, X, operation, dGather, dRemainder);
        float[] dQuotient = [.. dGather.Select(g => g * X)];
        GradientCheck.Check("qr.quotient", quotient, dQuotient, Loss, output: output);
        GradientCheck.Check("qr.remainder", remainder, dRemainder, Loss, output: output);
    }

    /// <summary>Two tensor-train fields of a [B, F, D] embedding output: the cores' gradient from the rows they produced, values scaling them.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TensorTrainCores(bool hasValues)
    {
        const int field = 2, firstRow = 40, vocabulary = 30, dim = 6;
        TensorTrainShape shape = TensorTrainShape.For(vocabulary, dim, rank: 3);
        float[] cores = Random(shape.Length, 11), values = Random(B * F, 12), r = Random(B * F * dim, 13);
        int[] ids = [.. Ids(14).Select(id => firstRow + id)]; // ids within the field's 30 rows
        ids[F + field] = ids[field]; // rows 0 and 1 share their train row: its slices sum both gradients
        var outBuf = new float[B * F * dim];
        var scratch = new float[shape.BackwardScratchLength];
        double Loss()
        {
            TensorTrainEmbedding.Forward(cores, shape, ids, values, hasValues, B, F, field, firstRow, outBuf, scratch);
            return GradientCheck.Dot(outBuf, r);
        }

        var dCores = new float[shape.Length];
        TensorTrainEmbedding.Backward(cores, shape, ids, values, hasValues, r, B, F, field, firstRow, dCores, scratch);
        GradientCheck.Check("embedding.tt", cores, dCores, Loss, eps: 1e-3f, output: output);
    }

    [Fact]
    public void FirstOrderWeightsAndValues()
    {
        float[] w = Random(V, 5), values = Random(B * F, 6), r = Random(B, 7);
        int[] ids = Ids(8);
        var outBuf = new float[B];
        double Loss()
        {
            FirstOrder.Forward(w, ids, values, true, B, F, outBuf);
            return GradientCheck.Dot(outBuf, r);
        }

        Parameter p = Parameter.RowSparse("first_order", ParameterRole.FirstOrder, V, 1).PrepareRowGradient(B * F);
        var dValues = new float[B * F];
        FirstOrder.Backward(w, ids, values, true, r, B, F, p.RowGrad!, dValues);
        GradientCheck.Check("first_order.w", w, GradientCheck.Densify(p), Loss, output: output);
        GradientCheck.Check("first_order.values", values, dValues, Loss, output: output);
    }

    [Fact]
    public void GlobalBiasSumsTheBatch()
    {
        float[] bias = [0.25f], r = Random(B, 9);
        var logits = new float[B];
        double Loss()
        {
            logits.AsSpan().Clear();
            GlobalBias.Forward(bias[0], B, logits);
            return GradientCheck.Dot(logits, r);
        }

        float[] grad = [GlobalBias.Backward(r, B)];
        GradientCheck.Check("bias", bias, grad, Loss, output: output);
    }

    [Fact]
    public void LinearInputWeightBias()
    {
        const int In = 7, Out = 5;
        float[] x = Random(B * In, 10), w = Random(In * Out, 11), bias = Random(Out, 12), r = Random(B * Out, 13);
        var y = new float[B * Out];
        double Loss()
        {
            Linear.Forward(ComputeContext.Default, x, w, bias, B, In, Out, y);
            return GradientCheck.Dot(y, r);
        }

        var dX = new float[B * In];
        var dW = new float[In * Out];
        var dB = new float[Out];
        Linear.Backward(ComputeContext.Default, x, w, r, B, In, Out, dX, dW, dB);
        GradientCheck.Check("linear.x", x, dX, Loss, output: output);
        GradientCheck.Check("linear.weight", w, dW, Loss, output: output);
        GradientCheck.Check("linear.bias", bias, dB, Loss, output: output);
    }

    [Fact]
    public void ReluAwayFromTheKink()
    {
        float[] x = Random(40, 14), r = Random(40, 15);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += x[i] >= 0 ? 0.1f : -0.1f; // keep |x| > eps so the difference never straddles 0
        }

        var y = new float[x.Length];
        double Loss()
        {
            Relu.Forward(x, x.Length, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dX = new float[x.Length];
        Relu.Backward(y, r, x.Length, dX);
        GradientCheck.Check("relu.x", x, dX, Loss, output: output);
        Assert.Contains(dX, v => v == 0f);
    }

    [Fact]
    public void DropoutWithAFixedMask()
    {
        float[] x = Random(64, 16), r = Random(64, 17);
        var mask = new float[64];
        Dropout.FillMask(new SeededRandom(3), 0.5f, mask);
        var y = new float[64];
        double Loss()
        {
            Dropout.Forward(x, mask, x.Length, y);
            return GradientCheck.Dot(y, r);
        }

        var dX = new float[64];
        Dropout.Backward(mask, r, x.Length, dX);
        GradientCheck.Check("dropout.x", x, dX, Loss, output: output);
    }

    [Fact]
    public void FMInteractionEmbeddings()
    {
        float[] e = Random(B * F * D, 18), r = Random(B, 19);
        var sum = new float[B * D];
        var y = new float[B];
        double Loss()
        {
            FMInteraction.Forward(e, B, F, D, sum, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        FMInteraction.Backward(e, sum, r, B, F, D, dE);
        GradientCheck.Check("fm.embeddings", e, dE, Loss, output: output);
    }

    [Fact]
    public void FwFMInteractionEmbeddingsAndPairWeights()
    {
        int pairs = FieldPairs.Count(F);
        float[] e = Random(B * F * D, 20), pw = Random(pairs, 21), r = Random(B, 22);
        var y = new float[B];
        var fwfm = new FwFMHarness(B, F, D);
        double Loss()
        {
            fwfm.Forward(e, pw, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        var dR = new float[pairs];
        fwfm.Backward(r, dE, dR);
        GradientCheck.Check("fwfm.embeddings", e, dE, Loss, output: output);
        GradientCheck.Check("fwfm.r", pw, dR, Loss, output: output);
    }

    [Fact]
    public void FwFMLinearEmbeddingsAndFieldVectors()
    {
        float[] e = Random(B * F * D, 23), v = Random(F * D, 24), r = Random(B, 25);
        var y = new float[B];
        double Loss()
        {
            FwFMLinear.Forward(e, v, B, F, D, y);
            return GradientCheck.Dot(y, r);
        }

        var dE = new float[e.Length];
        var dV = new float[v.Length];
        FwFMLinear.Backward(e, v, r, B, F, D, dE, dV);
        GradientCheck.Check("fwfm_linear.embeddings", e, dE, Loss, output: output);
        GradientCheck.Check("fwfm_linear.v", v, dV, Loss, output: output);
    }

    [Fact]
    public void BinaryLogLossLogits()
    {
        float[] z = Random(B, 26, 3.0), labels = [1, 0, 1, 1, 0];
        var dZ = new float[B];
        double Loss() => BinaryLogLoss.Forward(z, labels, B, new float[B]);
        BinaryLogLoss.Forward(z, labels, B, dZ);
        GradientCheck.Check("logloss.logits", z, dZ, Loss, eps: 1e-3f, output: output);
    }

    [Theory]
    [InlineData(0f, Activation.Relu, true)]
    [InlineData(0.3f, Activation.Relu, true)]
    [InlineData(0f, Activation.Tanh, true)]
    [InlineData(0.3f, Activation.Tanh, true)]
    [InlineData(0f, Activation.Relu, false)]
    [InlineData(0.3f, Activation.Relu, false)]
    [InlineData(0.3f, Activation.Tanh, false)]
    public void MlpInputAndEveryParameter(float dropout, Activation activation, bool outputUnit)
    {
        const int In = 6;
        var parameters = new ParameterSet();
        var mlp = new Mlp(parameters, "mlp", In, [5, 4], dropout, new SeededRandom(27), dropoutSeed: 99, activation, outputUnit).Prepare(B);
        CheckMlp(mlp, parameters, In, seed: 28);
    }

    [Theory]
    [InlineData(0f, Activation.Relu, true, true)]
    [InlineData(0.3f, Activation.Relu, true, true)]
    [InlineData(0f, Activation.Relu, false, true)]
    [InlineData(0.3f, Activation.Tanh, true, true)]
    [InlineData(0.3f, Activation.Relu, true, false)]
    public void LowRankMlpInputAndEveryFactor(float dropout, Activation activation, bool innerRelu, bool outputUnit)
    {
        const int In = 6;
        var parameters = new ParameterSet();
        var mlp = new Mlp(parameters, "mlp", In, [5, 4, 4], dropout, new SeededRandom(31), dropoutSeed: 99, activation, outputUnit,
            ranks: [2, 0, 3], innerRelu: innerRelu).Prepare(B);
        Assert.Contains(parameters, p => p.Name == "mlp.0.down.weight");
        Assert.Contains(parameters, p => p.Name == "mlp.2.up.weight");
        Assert.DoesNotContain(parameters, p => p.Name == "mlp.0.weight");
        CheckMlp(mlp, parameters, In, seed: 32);
    }

    /// <summary>The input's and every parameter's gradient of y·r, with non-zero biases and the same dropout masks replayed.</summary>
    private void CheckMlp(Mlp mlp, ParameterSet parameters, int inputSize, int seed)
    {
        foreach (Parameter p in parameters.Where(p => p.Role == ParameterRole.Bias))
        {
            new SeededRandom(seed).FillUniform(p.Value, 0.1); // non-zero biases so their effect is visible
        }

        float[] x = Random(B * inputSize, seed + 1), r = Random(B * mlp.OutputSize, seed + 2);
        var y = new float[r.Length];
        double Loss()
        {
            mlp.ResetDropout(99); // replay the same masks on every evaluation
            mlp.Forward(x, B, y, training: true);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dX = new float[x.Length];
        mlp.Backward(x, r, B, dX);
        GradientCheck.Check("mlp.input", x, dX, Loss, eps: 1e-3f, output: output);
        foreach (Parameter p in parameters)
        {
            GradientCheck.Check(p.Name, p.Value, p.Grad!, Loss, eps: 1e-3f, output: output);
        }
    }
}
