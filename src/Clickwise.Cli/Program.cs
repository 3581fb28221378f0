using System.CommandLine;
using Clickwise.Cli.Verbs;

namespace Clickwise.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        RootCommand root = BuildRoot();
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

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("Clickwise: train, compress and serve click-through-rate models on a CPU.");
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DeepLightCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        return root;
    }
}
