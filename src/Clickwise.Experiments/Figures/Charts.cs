using ScottPlot;

namespace Clickwise.Experiments.Figures;

/// <summary>
/// The chart shapes every study draws, so each looks alike: a trade-off chart with its Pareto front, bars with error
/// bars, and lines. Each returns a plot for <see cref="FigureFile"/> to write or inline.
/// </summary>
public static class Charts
{
    /// <summary>Every model as a labelled point, the Pareto front (<see cref="ParetoFront"/>) joined by a line.</summary>
    public static Plot Pareto(string title, string xLabel, string yLabel, IReadOnlyList<LabeledPoint> points, bool logX = false)
    {
        var plot = Titled(title, xLabel, yLabel);
        double X(double x) => logX ? Math.Log10(x) : x;
        LabeledPoint[] shown = [.. points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logX || p.X > 0))];
        var all = plot.Add.ScatterPoints(shown.Select(p => X(p.X)).ToArray(), shown.Select(p => p.Y).ToArray());
        all.MarkerSize = 8;
        all.LegendText = "models";
        foreach (LabeledPoint p in shown)
        {
            var text = plot.Add.Text(p.Label, X(p.X), p.Y);
            text.LabelFontSize = 11;
            text.OffsetX = 6;
            text.OffsetY = -6;
        }

        IReadOnlyList<LabeledPoint> front = ParetoFront.Of(shown);
        if (front.Count > 1)
        {
            var line = plot.Add.ScatterLine(front.Select(p => X(p.X)).ToArray(), front.Select(p => p.Y).ToArray());
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "Pareto front";
        }

        if (logX)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => Short(Math.Pow(10, v)),
            };
        }

        plot.Axes.Margins(left: 0.05, right: 0.25, bottom: 0.1, top: 0.1); // room for the labels, written right of their points
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>
    /// One bar per name at its mean, with ± std as an error bar; the y axis spans the bars' range, not from 0, unless
    /// <paramref name="fromZero"/> (a ratio, where the bars' lengths are the message).
    /// </summary>
    public static Plot Bars(string title, string yLabel, IReadOnlyList<string> names, IReadOnlyList<double> means, IReadOnlyList<double> errors,
                            bool fromZero = false)
    {
        var plot = Titled(title, "", yLabel);
        var bars = new List<Bar>();
        for (int i = 0; i < names.Count; i++)
        {
            bars.Add(new Bar { Position = i, Value = means[i], Error = errors[i], ValueBase = 0 });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, names.Count).Select(i => (double)i)], [.. names]);
        if (names.Count > 6)
        {
            // More names than fit side by side: slanted, with room below for them.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 90;
        }

        double[] finite = [.. means.Where(double.IsFinite)];
        if (fromZero && finite.Length > 0)
        {
            plot.Axes.SetLimitsY(0, finite.Max() * 1.1);
        }
        else if (finite.Length > 0)
        {
            // AUCs differ in the third decimal: a y axis from 0 would hide every difference.
            double spread = Math.Max(finite.Max() - finite.Min(), 1e-4) + 2 * errors.Where(double.IsFinite).DefaultIfEmpty(0).Max();
            plot.Axes.SetLimitsY(finite.Min() - spread, finite.Max() + spread);
        }

        return plot;
    }

    /// <summary>
    /// Lines with markers; a series marked <see cref="Series.RightAxis"/> uses the right axis, labelled <paramref name="rightLabel"/>.
    /// <paramref name="diagonal"/> names the line y = x when there is one (ROC's chance, a reliability diagram's perfect calibration);
    /// <paramref name="wholeX"/> ticks x at whole numbers (epochs); <paramref name="xTicks"/> names the positions 0, 1, …
    /// of categories (a sweep's settings, spaced evenly as the paper draws them).
    /// </summary>
    public static Plot Lines(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, string? rightLabel = null,
                             string? diagonal = null, bool wholeX = false, IReadOnlyList<string>? xTicks = null)
    {
        var plot = Titled(title, xLabel, yLabel);
        if (diagonal is not null)
        {
            var line = plot.Add.Line(0, 0, 1, 1);
            line.LinePattern = LinePattern.Dotted;
            line.LegendText = diagonal;
        }

        foreach (Series s in series)
        {
            var scatter = plot.Add.Scatter(s.X, s.Y);
            scatter.LegendText = s.Name;
            scatter.MarkerSize = s.X.Length > 50 ? 0 : 6;
            if (s.RightAxis)
            {
                scatter.Axes.YAxis = plot.Axes.Right;
            }
        }

        if (rightLabel is not null)
        {
            plot.Axes.Right.Label.Text = rightLabel;
        }

        if (wholeX)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        }

        if (xTicks is not null)
        {
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, xTicks.Count).Select(i => (double)i)], [.. xTicks]);
        }

        if (series.Count > 4 || rightLabel is not null)
        {
            // Many runs, or two y axes whose lines reach every corner: beside the chart, not over it.
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.ShowLegend();
        }

        return plot;
    }

    /// <summary>A tick of a log axis: three significant digits with k, M or G (158k, 2.51M).</summary>
    private static string Short(double value)
    {
        (double scaled, string suffix) = value switch
        {
            >= 1e9 => (value / 1e9, "G"),
            >= 1e6 => (value / 1e6, "M"),
            >= 1e3 => (value / 1e3, "k"),
            _ => (value, ""),
        };
        return scaled.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) + suffix;
    }

    private static Plot Titled(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
