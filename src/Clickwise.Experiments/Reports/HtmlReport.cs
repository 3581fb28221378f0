using System.Globalization;
using System.Net;
using System.Text;
using Clickwise.Experiments.Figures;
using Markdig;

namespace Clickwise.Experiments.Reports;

/// <summary>
/// One self-contained HTML page (no file or network it loads: figures are inlined as PNG data) gathering, for each run
/// or study directory, its Markdown tables (compare.md, deeplight.md, lowrank.md…), the figures beside them, and for a
/// training run's directory its learning curve and epochs from metrics.jsonl.
/// </summary>
public static class HtmlReport
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; }
        th { background: #f0f0f0; }
        td { text-align: right; } td:first-child { text-align: left; }
        figure { display: inline-block; margin: 0.5em; } img { max-width: 100%; border: 1px solid #ddd; }
        figcaption { font-size: 0.85em; color: #555; }
        section { border-top: 2px solid #888; margin-top: 2em; }
        """;

    /// <summary>The page for <paramref name="directories"/>, in the order given.</summary>
    /// <exception cref="FileNotFoundException">A directory that does not exist (a missing input, not an output that cannot be written).</exception>
    /// <exception cref="InvalidDataException">A directory with no tables, figures or metrics.jsonl to show.</exception>
    public static string Render(IReadOnlyList<string> directories, string title = "Clickwise report")
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .AppendLine(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title><style>{Style}</style></head><body>")
            .AppendLine(CultureInfo.InvariantCulture, $"<h1>{Encode(title)}</h1>");
        foreach (string directory in directories)
        {
            html.Append(Section(directory));
        }

        return html.AppendLine("</body></html>").ToString();
    }

    private static string Section(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new FileNotFoundException($"no such run or study directory: {directory}");
        }

        var html = new StringBuilder();
        html.AppendLine(CultureInfo.InvariantCulture, $"<section><p class=\"source\">{Encode(Path.GetFullPath(directory))}</p>");
        string[] tables = [.. Directory.GetFiles(directory, "*.md").Order(StringComparer.Ordinal)];
        foreach (string md in tables)
        {
            html.AppendLine(Markdig.Markdown.ToHtml(File.ReadAllText(md), Markdown));
        }

        string metrics = Path.Combine(directory, "metrics.jsonl");
        IReadOnlyList<EpochPoint> epochs = LearningCurve.Read(metrics);
        if (epochs.Count > 0)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<h2>Training run {Encode(Path.GetFileName(Path.GetFullPath(directory)))}</h2>");
            html.AppendLine(EpochTable(epochs));
            html.AppendLine(Figure(FigureFile.Png(LearningCurve.Chart(epochs, "Learning curve")), "learning curve (metrics.jsonl)"));
        }

        string[] figures = [.. Directory.GetFiles(directory, "*.png").Order(StringComparer.Ordinal)];
        foreach (string png in figures)
        {
            html.AppendLine(Figure(File.ReadAllBytes(png), Path.GetFileName(png)));
        }

        if (tables.Length == 0 && epochs.Count == 0 && figures.Length == 0)
        {
            throw new InvalidDataException($"{directory}: no study tables (*.md), figures (*.png) or metrics.jsonl to report");
        }

        return html.AppendLine("</section>").ToString();
    }

    private static string EpochTable(IReadOnlyList<EpochPoint> epochs)
    {
        var html = new StringBuilder("<table><thead><tr><th>epoch</th><th>train loss</th><th>valid AUC</th><th>valid logloss</th></tr></thead><tbody>\n");
        foreach (EpochPoint e in epochs)
        {
            html.AppendLine(CultureInfo.InvariantCulture,
                $"<tr><td>{e.Epoch}</td><td>{Number(e.TrainLoss)}</td><td>{Number(e.ValidAuc)}</td><td>{Number(e.ValidLogLoss)}</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    private static string Figure(byte[] png, string caption) =>
        $"<figure><img alt=\"{Encode(caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{Encode(caption)}</figcaption></figure>";

    private static string Number(double value) => double.IsNaN(value) ? "—" : value.ToString("F5", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
