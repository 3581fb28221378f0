using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// What a report gathers, made for real: a trained run's work directory (metrics.jsonl), <c>eval --plot</c>'s figures,
/// and a comparison's table and figures; then <c>clickwise report</c> over the three.
/// </summary>
internal sealed record ReportFixture(string Page, string Run, string Eval, string Study)
{
    public const int Figures = 1 + 2 + 3; // the run's learning curve, ROC and reliability, the comparison's bars, trade-off and time ÷ LR

    public static ReportFixture Build(TempDirectory dir)
    {
        string data = dir.File("d.tsv"), model = dir.File("m.cwm"), eval = dir.File("eval"), study = dir.File("study");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        CliRunner.Expect(0, "train", "-d", data, "-o", model, "-a", "lr", "--epochs", "2", "--batch-size", "256", "--min-count", "2", "--quiet");
        CliRunner.Expect(0, "eval", "-m", model, "-d", data, "--split", "test", "--plot", eval);

        var report = new ComparisonReport(2400, 300, [1, 2],
        [
            new ComparisonRow("lr", 2, 0.70, 0.002, 0.47, 0.001, 40, 0.7, 300_000),
            new ComparisonRow("deepfm", 2, 0.75, 0.004, 0.45, 0.002, 500_000, 27, 20_000),
        ]);
        Directory.CreateDirectory(study);
        File.WriteAllText(Path.Combine(study, "compare.md"), ComparisonMarkdown.Render(report, "Model comparison: fixture"));
        StudyFigures.Write(report, study);

        string page = dir.File("report.html");
        CliRunner.Expect(0, "report", model + ".run", eval, study, "-o", page, "--title", "Fixture report");
        return new ReportFixture(page, model + ".run", eval, study);
    }
}
