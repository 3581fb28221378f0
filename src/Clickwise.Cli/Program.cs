using System.CommandLine;
using System.CommandLine.Help;
using Clickwise.Cli.Verbs;

namespace Clickwise.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Command root = BuildRoot();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"clickwise: {error.Message}");
            }

            Console.Error.WriteLine("Try 'clickwise --help'.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke();
    }

    /// <summary>
    /// The verbs under a root named <c>clickwise</c> (a <see cref="RootCommand"/> takes the assembly's name, which would
    /// print <c>Clickwise.Cli</c> in usage lines), with the help and version options a root command has.
    /// </summary>
    internal static Command BuildRoot()
    {
        var root = new Command("clickwise", "Clickwise: train, compress and serve click-through-rate models on a CPU.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(PrepareCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DeepLightCommand.Create());
        root.Subcommands.Add(EnsembleCommand.Create());
        root.Subcommands.Add(LowRankCommand.Create());
        root.Subcommands.Add(OptEmbedCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        return root;
    }
}
