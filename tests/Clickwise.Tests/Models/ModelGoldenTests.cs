using Clickwise.Training.Optimizers;
using System.Text.Json;
using Clickwise.Data;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

/// <summary>
/// Each model against tools/reference/golden_models.py and golden_zoo_*.py (PyTorch, float64): logits, loss, every gradient, and the
/// parameters after three Adam steps, compared tensor by tensor with the max difference printed.
/// </summary>
public sealed class ModelGoldenTests(ITestOutputHelper output)
{
    // Relative to the tensor's largest magnitude (or 1 for small tensors): float32 vs a float64 reference.
    private const double Tolerance = 1e-5;

    // Fixture names: a registered model, or a variant of one (dcnv2-lowrank is dcnv2 with cross_rank > 0,
    // xdeepfm-nosplit is xdeepfm without the CIN's split-half, autoint-noresidual is autoint with attention_residual false,
    // dnn-tanh is dnn with the tanh activation, deepfm-qr and deepfm-qr-add are deepfm with quotient-remainder fields,
    // tools/reference/golden_qr.py).
    public static TheoryData<string> Models =>
        [.. ModelRegistry.Names, "dcnv2-lowrank", "xdeepfm-nosplit", "fibinet-all", "fibinet-each", "autoint-noresidual", "dnn-tanh", "deepfm-qr",
         "deepfm-qr-add"];

    [Theory]
    [MemberData(nameof(Models))]
    public void LogitsLossAndGradientsMatchPyTorch(string name)
    {
        (GoldenFixture fixture, CtrModel model) = CreateAtInitialWeights(name);

        Batch batch = fixture.Batch(0);
        (float[] logits, double loss) = Step(model, batch);

        Compare("logits", GoldenFixture.Doubles(fixture.Root.GetProperty("logits")), logits);
        double expectedLoss = fixture.Root.GetProperty("loss").GetDouble();
        output.WriteLine($"loss: {loss:R} vs {expectedLoss:R}");
        Assert.Equal(expectedLoss, loss, 1e-6);

        Dictionary<string, double[]> grads = GoldenFixture.Tensors(fixture.Root.GetProperty("gradients"));
        Assert.Equal(grads.Keys.Order(), model.Parameters.Select(p => p.Name).Order());
        foreach (Parameter p in model.Parameters)
        {
            Compare($"grad {p.Name}", grads[p.Name], GradientCheckDensify(p));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ThreeAdamStepsMatchPyTorch(string name)
    {
        (GoldenFixture fixture, CtrModel model) = CreateAtInitialWeights(name);
        JsonElement adam = fixture.Root.GetProperty("adam");
        double l2 = adam.GetProperty("l2").GetDouble();
        IOptimizer optimizer = OptimizerFactory.Create("adam", new OptimizerSettings
        {
            LearningRate = adam.GetProperty("lr").GetDouble(),
            Beta1 = adam.GetProperty("beta1").GetDouble(),
            Beta2 = adam.GetProperty("beta2").GetDouble(),
            Eps = adam.GetProperty("eps").GetDouble(),
            L2Embedding = l2,
            L2Net = l2,
        });

        for (int k = 0; k < fixture.StepCount; k++)
        {
            JsonElement expected = fixture.Root.GetProperty("steps")[k];
            Batch batch = fixture.Batch(expected.GetProperty("batch").GetInt32());
            (_, double loss) = Step(model, batch);
            Assert.Equal(expected.GetProperty("loss").GetDouble(), loss, 1e-5);
            optimizer.Step(model.Parameters);
            Dictionary<string, double[]> after = GoldenFixture.Tensors(expected.GetProperty("parameters"));
            foreach (Parameter p in model.Parameters)
            {
                Compare($"step {k + 1} {p.Name}", after[p.Name], p.Value);
            }
        }
    }

    private static (float[] Logits, double Loss) Step(CtrModel model, Batch batch)
    {
        var logits = new float[batch.Count];
        var dLogits = new float[batch.Count];
        model.Parameters.ZeroGrad();
        model.Forward(batch, logits, training: true);
        double loss = BinaryLogLoss.Forward(logits, batch.LabelsInUse, batch.Count, dLogits);
        model.Backward(batch, dLogits);
        return (logits, loss);
    }

    /// <summary>The model built from the fixture's config with every parameter set to the fixture's initial value.</summary>
    private static (GoldenFixture Fixture, CtrModel Model) CreateAtInitialWeights(string name)
    {
        GoldenFixture fixture = GoldenFixture.Load(name);
        CtrModel model = ModelRegistry.Create(fixture.Config(), fixture.Layout()).Prepared(fixture.BatchSize);
        Dictionary<string, double[]> values = GoldenFixture.Tensors(fixture.Root.GetProperty("initial"));
        foreach (Parameter p in model.Parameters)
        {
            double[] v = values[p.Name];
            Assert.Equal(p.Length, v.Length);
            for (int i = 0; i < v.Length; i++)
            {
                p.Value[i] = (float)v[i];
            }
        }

        return (fixture, model);
    }

    private static float[] GradientCheckDensify(Parameter p) => Clickwise.Tests.Layers.GradientCheck.Densify(p);

    private void Compare(string what, double[] expected, ReadOnlySpan<float> actual) =>
        GoldenFixture.AssertClose(what, expected, actual, Tolerance, output);
}
