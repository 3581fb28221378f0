using System.CommandLine;
using Clickwise.IO;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise train</c>: text files → split → vocabulary (training rows) + caches → train → metrics per test part → model file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var distributed = new DistributedOptions();
        var output = new Option<string>("--output", "-o") { Description = "Model file to write", Required = true };
        var workdir = new Option<string?>("--workdir") { Description = "Cache, metrics.jsonl and checkpoints (default: <output>.run)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint of the same run (its checkpoint.cwm or the run directory)" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final report" };
        var printConfig = new Option<bool>("--print-config")
        {
            Description = "Print the settings the run would use (preset → config file → flags) as JSON, and stop",
        };
        var command = new Command("train", "Train a model on a file's split (or --valid/--test files) and report each test part's metrics");
        options.AddTo(command);
        CommonOptions.AddAll(command, output, workdir, resume, quiet, printConfig);
        distributed.AddTo(command);
        command.SetAction(parse => distributed.Run(parse, parallel =>
        {
            string modelPath = parse.GetValue(output)!;
            string runDir = parse.GetValue(workdir) ?? DefaultRunDirectory(modelPath);
            // --resume takes the run directory as well as the checkpoint in it.
            string? resumeFrom = parse.GetValue(resume) is { } r && Directory.Exists(r) ? Path.Combine(r, "checkpoint.cwm") : parse.GetValue(resume);
            TrainRequest request = distributed.Apply(parse, options.Request(parse, modelPath, runDir, resumeFrom), parallel);
            OutputAliases.Refuse(modelPath, [.. options.Inputs(parse, request), ("--resume", resumeFrom)]);
            if (parse.GetValue(printConfig))
            {
                Console.WriteLine(request.EffectiveConfigJson());
                return ExitCodes.Success;
            }

            if (parallel is { IsLead: false })
            {
                // Rank 0 holds the run directory's lock and writes everything; the others train their shards.
                TrainRun.Execute(request);
                return ExitCodes.Success;
            }

            bool newRunDir = !Directory.Exists(runDir);
            using RunLock runLock = RunLock.Acquire(runDir);
            string checkpoint = Path.Combine(runDir, "checkpoint.cwm");
            using var interrupt = new CancellationTokenSource();
            ConsoleCancelEventHandler onCtrlC = (_, e) =>
            {
                e.Cancel = true; // stop at the next step, not mid-write
                interrupt.Cancel();
            };
            Console.CancelKeyPress += onCtrlC;
            TrainReport report;
            try
            {
                report = ConsoleProgress.Run(parse.GetValue(quiet), observers => TrainRun.Execute(request, observers, interrupt.Token));
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                Console.Error.WriteLine(File.Exists(checkpoint)
                    ? $"clickwise: interrupted; the last checkpoint is {checkpoint}. Resume with:\n  {ResumeCommand(parse, runDir)}"
                    : "clickwise: interrupted before the first checkpoint; nothing to resume");
                if (newRunDir && !File.Exists(checkpoint) && Directory.Exists(runDir))
                {
                    Directory.Delete(runDir, recursive: true);
                }

                return ExitCodes.Interrupted;
            }
            catch when (newRunDir && !File.Exists(checkpoint))
            {
                // A run that failed before its first checkpoint leaves nothing to resume: no run directory either.
                if (Directory.Exists(runDir))
                {
                    Directory.Delete(runDir, recursive: true);
                }

                throw;
            }

            finally
            {
                Console.CancelKeyPress -= onCtrlC;
            }

            Reports.PrintTrain(report);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary><c>&lt;output&gt;.run</c> beside a model file; a device, FIFO or descriptor has no place for one beside it.</summary>
    private static string DefaultRunDirectory(string modelPath)
    {
        if (OutputFile.NamesADescriptor(modelPath) || FileIdentity.Of(modelPath).Kind is FileKind.CharacterDevice or FileKind.Fifo)
        {
            throw new UsageException($"-o {modelPath} is not a file, so the run directory cannot be beside it: give --workdir DIR");
        }

        return modelPath + ".run";
    }

    /// <summary>This command line with <c>--resume RUN_DIR</c> in place of any earlier <c>--resume</c>.</summary>
    private static string ResumeCommand(ParseResult parse, string runDir)
    {
        var tokens = new List<string>();
        for (int i = 0; i < parse.Tokens.Count; i++)
        {
            if (parse.Tokens[i].Value == "--resume")
            {
                i++; // and its value
                continue;
            }

            tokens.Add(parse.Tokens[i].Value);
        }

        return string.Join(' ', ["clickwise", .. tokens.Select(Quote), "--resume", Quote(runDir)]);
    }

    private static string Quote(string token) => token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ',' or '=' or ':')
        ? token
        : "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
