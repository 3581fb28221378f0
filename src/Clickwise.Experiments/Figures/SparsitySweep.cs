using System.Globalization;
using Clickwise.Compression.Pruning;

namespace Clickwise.Experiments.Figures;

/// <summary>
/// A <c>deeplight --settings</c> sweep read back from its rows (DeepLight's Figs. 3-4): the one component whose target
/// differs between the pruned settings while every other target is the same, in increasing order. The dense model
/// leads the curve when the held targets are all 0 (a sweep of D alone or F alone, whose 0% is the dense model).
/// </summary>
public sealed record SparsitySweep(PruningComponent Component, string Held, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The sweep the settings form, or null when they vary in no component, in several, or have fewer than two values.</summary>
    public static SparsitySweep? Of(IReadOnlyList<PruningStudyRow> settings)
    {
        var pruned = settings.Where(r => r.Sparsity != "None").GroupBy(r => r.Sparsity)
            .Select(g => (Targets: SparsityTargets.Parse(g.Key), Rows: g.ToList())).ToList();
        if (pruned.Count < 2)
        {
            return null;
        }

        PruningComponent[] varied = [.. Enum.GetValues<PruningComponent>()
            .Where(c => pruned.Select(p => p.Targets[c]).Distinct().Count() > 1)];
        if (varied.Length != 1)
        {
            return null;
        }

        PruningComponent component = varied[0];
        SparsityTargets held = pruned[0].Targets.Without(component);
        char letter = SparsityTargets.Letter(component);
        var points = new List<SweepPoint>();
        List<PruningStudyRow> dense = [.. settings.Where(r => r.Sparsity == "None")];
        if (dense.Count > 0 && !held.Components.Any(held.Prunes))
        {
            points.Add(Point("Dense", dense));
        }

        points.AddRange(pruned.OrderBy(p => p.Targets[component])
            .Select(p => Point(string.Create(CultureInfo.InvariantCulture, $"{letter}-{p.Targets[component] * 100:0.##}%"), p.Rows)));
        return new SparsitySweep(component, held.ToPaperNotation(), points);
    }

    private static SweepPoint Point(string label, List<PruningStudyRow> rows) =>
        new(label, rows.Average(r => r.TestAuc), rows.Average(r => r.P50Micros));
}
