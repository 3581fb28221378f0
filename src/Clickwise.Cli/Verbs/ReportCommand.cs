using System.CommandLine;
using System.Text;
using Clickwise.Experiments.Reports;
using Clickwise.IO;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise report</c>: the tables and figures of one or more run or study directories as one self-contained HTML
/// page (figures inlined), to open in a browser or send as one file.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "Run or study directories: a study's output (compare, deeplight, lowrank), eval --plot's figures, a training run's work directory",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write", Required = true };
        var title = new Option<string>("--title") { Description = "The page's title", DefaultValueFactory = _ => "Clickwise report" };
        var command = new Command("report", "Gather runs' and studies' tables and figures into one self-contained HTML page");
        command.Arguments.Add(runs);
        CommonOptions.AddAll(command, output, title);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string[] directories = parse.GetValue(runs)!;
            string path = parse.GetValue(output)!;
            OutputFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(HtmlReport.Render(directories, parse.GetValue(title)!)));
            Console.WriteLine($"report of {directories.Length} director{(directories.Length == 1 ? "y" : "ies")} written to {path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
