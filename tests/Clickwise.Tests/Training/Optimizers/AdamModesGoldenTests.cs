using System.Text.Json;
using Clickwise.Layers;
using Clickwise.Tests.Models;
using Clickwise.Training.Optimizers;

namespace Clickwise.Tests.Training.Optimizers;

/// <summary>
/// The dense and sparse table modes against PyTorch's own <c>torch.optim.Adam</c> (weight_decay) and
/// <c>torch.optim.SparseAdam</c>: tools/reference/golden_adam_modes.py writes the fixture.
/// </summary>
public sealed class AdamModesGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(AdamMode.Dense)]
    [InlineData(AdamMode.Sparse)]
    public void ThreeStepsMatchPyTorchTensorByTensor(AdamMode mode)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "optimizers", "adam-modes.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement, expected = root.GetProperty("modes").GetProperty(mode == AdamMode.Dense ? "dense" : "sparse");
        int rows = root.GetProperty("rows").GetInt32(), dim = root.GetProperty("dim").GetInt32();
        double l2 = expected.GetProperty("l2").GetDouble();
        var adam = new Adam(new OptimizerSettings
        {
            LearningRate = root.GetProperty("lr").GetDouble(),
            Beta1 = root.GetProperty("beta1").GetDouble(),
            Beta2 = root.GetProperty("beta2").GetDouble(),
            Eps = root.GetProperty("eps").GetDouble(),
            L2Embedding = l2,
            L2Net = l2,
            AdamMode = mode,
        });
        Parameter table = Parameter.RowSparse("embedding", ParameterRole.Embedding, rows, dim).PrepareRowGradient(rows);
        Parameter bias = Parameter.Dense("bias", ParameterRole.Bias, 1);
        Floats(root.GetProperty("embedding")).CopyTo(table.Value, 0);
        Floats(root.GetProperty("bias")).CopyTo(bias.Value, 0);
        // SparseAdam takes only sparse gradients, so PyTorch's sparse run has the table alone.
        ParameterSet set = mode == AdamMode.Dense ? AdamTests.Set(table, bias) : AdamTests.Set(table);

        JsonElement[] touched = [.. root.GetProperty("touched").EnumerateArray()];
        JsonElement[] grads = [.. root.GetProperty("grads").EnumerateArray()];
        JsonElement[] biasGrads = [.. root.GetProperty("bias_grads").EnumerateArray()];
        JsonElement[] steps = [.. expected.GetProperty("steps").EnumerateArray()];
        for (int step = 0; step < steps.Length; step++)
        {
            set.ZeroGrad();
            float[] g = Floats(grads[step]);
            int k = 0;
            foreach (JsonElement row in touched[step].EnumerateArray())
            {
                g.AsSpan(k++ * dim, dim).CopyTo(table.RowGrad!.Row(row.GetInt32()));
            }

            Floats(biasGrads[step]).CopyTo(bias.Grad!, 0);
            adam.Step(set);
            foreach (Parameter p in set)
            {
                GoldenFixture.AssertClose($"{mode} step {step + 1} {p.Name}", Doubles(steps[step].GetProperty(p.Name)), p.Value, Tolerance, output);
            }
        }

        OptimizerState state = adam.StateOf(table);
        GoldenFixture.AssertClose($"{mode} embedding m", Doubles(expected.GetProperty("m")), state.Slots[0], Tolerance, output);
        GoldenFixture.AssertClose($"{mode} embedding v", Doubles(expected.GetProperty("v")), state.Slots[1], Tolerance, output);
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => (float)e.GetDouble())];
}
