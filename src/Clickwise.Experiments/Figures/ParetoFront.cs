namespace Clickwise.Experiments.Figures;

/// <summary>
/// The models no other beats on both counts: none costs as little or less with a strictly higher quality, or strictly
/// less with as high a quality. Lower x (latency, bytes) and higher y (AUC) are better.
/// </summary>
public static class ParetoFront
{
    /// <summary>The front's points in order of increasing cost (and so increasing quality); points with a NaN are never on it.</summary>
    public static IReadOnlyList<LabeledPoint> Of(IEnumerable<LabeledPoint> points)
    {
        var front = new List<LabeledPoint>();
        foreach (LabeledPoint p in points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X).ThenByDescending(p => p.Y))
        {
            // Sorted by cost: a point joins the front when it is better than the cheapest-so-far best quality.
            if (front.Count == 0 || p.Y > front[^1].Y)
            {
                front.Add(p);
            }
        }

        return front;
    }
}
