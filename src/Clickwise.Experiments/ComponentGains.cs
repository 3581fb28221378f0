using System.Globalization;
using System.Text;
using Clickwise.Experiments.Statistics;

namespace Clickwise.Experiments;

/// <summary>
/// The DeepFM journal paper's Table V: each DeepFM-X's relative gain over its wide component (FM) and over its deep
/// component (DNN, IPNN, OPNN or PNN*), in AUC ((a − b) / b) and in logloss ((b − a) / b), with Welch p-values.
/// </summary>
public static class ComponentGains
{
    /// <summary>Each DeepFM model and the model that is its deep component alone.</summary>
    public static IReadOnlyList<(string Joint, string Deep)> Pairs { get; } =
        [("deepfm", "dnn"), ("deepfm-ip", "ipnn"), ("deepfm-op", "opnn"), ("deepfm-p", "pnn")];

    public const string Wide = "fm";

    /// <summary>The table over the DeepFM models of <paramref name="report"/> with at least one of their components; null when none has.</summary>
    public static string? Render(ComparisonReport report)
    {
        ComparisonRow? Row(string name) => report.Rows.FirstOrDefault(r => r.Model == name);
        ComparisonRow? wide = Row(Wide);
        var lines = new List<string>();
        foreach ((string jointName, string deepName) in Pairs)
        {
            if (Row(jointName) is not { } joint || (wide is null && Row(deepName) is null))
            {
                continue;
            }

            lines.Add($"| {joint.Model} | {Gain(joint, wide)} | {Gain(joint, Row(deepName))} |");
        }

        if (lines.Count == 0)
        {
            return null;
        }

        var md = new StringBuilder();
        md.AppendLine("## Gains over the wide and the deep component (DeepFM paper, Table V)").AppendLine();
        md.AppendLine("Relative gain of each DeepFM model over FM and over its deep component trained alone: AUC (a − b)/b and logloss "
            + "(b − a)/b in %, positive = DeepFM better; p: Welch's t-test over seeds.").AppendLine();
        md.AppendLine("| model | over FM: AUC, logloss | over its deep component: AUC, logloss |");
        md.AppendLine("| --- | --- | --- |");
        lines.ForEach(line => md.AppendLine(line));
        return md.ToString();
    }

    /// <summary>Relative AUC gain of <paramref name="joint"/> over <paramref name="component"/> (a fraction).</summary>
    public static double AucGain(ComparisonRow joint, ComparisonRow component) => (joint.AucMean - component.AucMean) / component.AucMean;

    /// <summary>Relative logloss gain (reduction) of <paramref name="joint"/> over <paramref name="component"/> (a fraction).</summary>
    public static double LogLossGain(ComparisonRow joint, ComparisonRow component) =>
        (component.LogLossMean - joint.LogLossMean) / component.LogLossMean;

    private static string Gain(ComparisonRow joint, ComparisonRow? component) => component is null
        ? "—"
        : string.Create(CultureInfo.InvariantCulture,
            $"{component.Model}: {AucGain(joint, component):+0.00%;-0.00%} (p {WelchTest.Format(WelchTest.PValue(joint.Auc, component.Auc))}), "
            + $"{LogLossGain(joint, component):+0.00%;-0.00%} (p {WelchTest.Format(WelchTest.PValue(joint.LogLoss, component.LogLoss))})");
}
