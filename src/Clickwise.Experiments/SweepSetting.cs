using System.Globalization;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Experiments;

/// <summary>
/// The DeepFM journal paper's hyper-parameters (seed 003, Figs. 10-14) a sweep varies one at a time: how a value is
/// written, the paper's values, and the model a value makes from the base model.
/// </summary>
public static class SweepSetting
{
    public static readonly IReadOnlyList<string> Names = ["activation", "dropout", "width", "depth", "shape"];

    /// <summary>The paper's values: dropout is the keep probability (our rate is 1 − keep); shapes keep the base's total neurons.</summary>
    public static IReadOnlyList<string> PaperValues(string setting) => setting switch
    {
        "activation" => ["relu", "tanh"],
        "dropout" => ["1.0", "0.9", "0.8", "0.7", "0.6", "0.5"],
        "width" => ["100", "200", "400", "800"],
        "depth" => ["1", "3", "5", "7"],
        "shape" => ["constant", "increasing", "decreasing", "diamond"],
        _ => throw new FormatException($"unknown setting '{setting}'; known: {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The base model with <paramref name="value"/> of <paramref name="setting"/>: width keeps the base's depth, depth its
    /// first layer's width, shape its depth and total neurons. Throws <see cref="FormatException"/> naming a bad value.
    /// </summary>
    public static ModelConfig Apply(ModelConfig model, string setting, string value) => setting switch
    {
        "activation" => model with
        {
            Activation = value switch
            {
                "relu" => Activation.Relu,
                "tanh" => Activation.Tanh,
                _ => throw new FormatException($"activation '{value}' is neither relu nor tanh"),
            },
        },
        "dropout" => model with { Dropout = 1f - KeepProbability(value) },
        "width" => model with { HiddenUnits = [.. Enumerable.Repeat(Positive(value, "width"), Math.Max(1, model.HiddenUnits.Length))] },
        "depth" => model with { HiddenUnits = [.. Enumerable.Repeat(model.HiddenUnits.FirstOrDefault(400), Positive(value, "depth"))] },
        "shape" => model with { HiddenUnits = Shape(value, model.HiddenUnits.Sum(), Math.Max(1, model.HiddenUnits.Length)) },
        _ => throw new FormatException($"unknown setting '{setting}'; known: {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// <paramref name="layers"/> widths summing to about <paramref name="total"/> in proportion to the shape's weights:
    /// constant 1,1,1; increasing 1,2,3; decreasing 3,2,1; diamond rising to the middle and back, 1,2,1 (600: 150-300-150).
    /// </summary>
    public static int[] Shape(string shape, int total, int layers)
    {
        Func<int, int> weight = shape switch
        {
            "constant" => _ => 1,
            "increasing" => i => i + 1,
            "decreasing" => i => layers - i,
            "diamond" => i => Math.Min(i + 1, layers - i),
            _ => throw new FormatException($"shape '{shape}' is none of constant, increasing, decreasing, diamond"),
        };
        double sum = Enumerable.Range(0, layers).Sum(weight);
        return [.. Enumerable.Range(0, layers).Select(i => Math.Max(1, (int)Math.Round(total * weight(i) / sum)))];
    }

    private static float KeepProbability(string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float keep) && keep > 0f && keep <= 1f
            ? keep
            : throw new FormatException($"dropout keep probability '{value}' is not in (0, 1]");

    private static int Positive(string value, string setting) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new FormatException($"{setting} '{value}' is not a positive whole number");
}
