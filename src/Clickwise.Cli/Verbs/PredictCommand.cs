using System.CommandLine;
using System.Globalization;
using System.Text;
using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Readers;
using Clickwise.IO;
using Clickwise.Layers;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise predict</c>: one probability (or logit) per input data line, in input order: a line the reader skipped
/// (<c>--skip-bad</c>) gets <c>nan</c>, so output line k always answers input line k. Input from a pipe is scored and
/// written line by line, so the verb can sit behind a socket or a queue. With <c>--id-column</c> each line is id, tab, value.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var format = CommonOptions.Format("as the model was trained on");
        var output = new Option<string>("--output", "-o") { Description = "Output file, one value per line ('-' for stdout)", Required = true };
        var unlabeled = new Option<bool>("--unlabeled") { Description = "The input has no label column (e.g. Criteo test.txt)" };
        var outputType = new Option<string>("--output-type") { Description = "prob or logit", DefaultValueFactory = _ => "prob" };
        var idColumn = new Option<string?>("--id-column")
        {
            Description = "Copy this input column (a name, or a 0-based index) to the output, as id<TAB>prediction; a skipped line keeps its id when it can be read",
        };
        var split = new Option<string?>("--split")
        {
            Description = "With -d a prepared directory: the part to score, test (default), valid or train, one line per row in its order",
        };
        var skipBad = CommonOptions.SkipBad();
        var maxBad = CommonOptions.MaxBadRatio();
        var threads = CommonOptions.Threads();
        var columns = new ColumnOptions();
        var command = new Command("predict", "Score a file with a model: one click probability per row");
        CommonOptions.AddAll(command, model, data, format, output, unlabeled, outputType, idColumn, split, skipBad, maxBad, threads);
        columns.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var compute = CommonOptions.Compute(parse.GetValue(threads));
            string kind = parse.GetValue(outputType)!;
            if (kind is not ("prob" or "logit"))
            {
                throw new UsageException($"--output-type must be prob or logit, got '{kind}'");
            }

            string path = parse.GetValue(data)!;
            CommonOptions.RequireModel(parse.GetValue(model)!, "-m/--model");
            string target = parse.GetValue(output)!;
            OutputAliases.Refuse(target, ("-d/--data", path), ("-m/--model", parse.GetValue(model)));
            if (PreparedDirectory.Is(path))
            {
                ModelArtifact trained = ModelArtifact.Load(parse.GetValue(model)!);
                SplitPart part = parse.GetValue(split) is { } name ? CommonOptions.Part(name) : SplitPart.Test;
                long scored = WriteOutput(target, writer => HeldOut.Predict(trained, path, part, compute, logits =>
                {
                    foreach (float z in logits)
                    {
                        writer.Write((kind == "prob" ? BinaryLogLoss.Sigmoid(z) : z).ToString("R", CultureInfo.InvariantCulture));
                        writer.Write('\n');
                    }
                }));
                Console.Error.WriteLine($"predicted {scored:N0} rows: the {part.ToString().ToLowerInvariant()} part of prepared {path}, in its order");
                return ExitCodes.Success;
            }

            if (parse.GetValue(split) is not null)
            {
                throw new UsageException("--split takes a prepared directory (-d DIR); score a held-out file with -d FILE");
            }

            CommonOptions.RequireFile(path);
            ModelArtifact artifact = ModelArtifact.Load(parse.GetValue(model)!);
            var options = columns.Apply(parse, CommonOptions.ReaderFor(artifact, parse, format, parse.GetValue(skipBad), parse.GetValue(maxBad),
                labeled: !parse.GetValue(unlabeled))) with { IdColumn = parse.GetValue(idColumn) };
            if (options.IdColumn is not null && options.Format is DataFormat.Libsvm or DataFormat.Libffm)
            {
                throw new UsageException($"--id-column needs a delimited format; {options.Format.ToString().ToLowerInvariant()} lines have no named columns");
            }

            long rows = 0, placeholders = 0, written = 0;
            BadLineStats stats;
            var input = new InputProgress();
            bool streaming = path == "-";
            // Scoring a pipe line by line is a service: a progress line every ten seconds would only be noise there.
            using (StderrProgress.ForInput("predict", input, quiet: streaming))
            using (IRecordReader opened = RecordReaders.Open(path, options, input))
            {
                LineIds? ids = options.IdColumn is null ? null : new LineIds(opened);
                IRecordReader reader = ids ?? opened;
                // With an id column every output line starts with its input line's id, in line order.
                string Id() => ids is null ? "" : ids.Next() + "\t";
                stats = WriteOutput(target, writer =>
                {
                    var line = new StringBuilder();
                    // A skipped line's place keeps a nan, so the output stays line-aligned with the input.
                    void Placeholders(long upTo)
                    {
                        for (; written < upTo; written++, placeholders++)
                        {
                            line.Append(Id()).Append("nan\n");
                        }
                    }

                    BadLineStats result = Scoring.Stream(artifact.Compile(compute: compute), artifact.FeatureMap, reader, (_, logits, ordinals) =>
                    {
                        line.Clear();
                        for (int i = 0; i < logits.Length; i++)
                        {
                            Placeholders(ordinals[i] - 1);
                            float value = kind == "prob" ? BinaryLogLoss.Sigmoid(logits[i]) : logits[i];
                            line.Append(Id()).Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                            written++;
                        }

                        writer.Write(line);
                        if (streaming)
                        {
                            writer.Flush();
                        }

                        rows += logits.Length;
                    }, batchSize: streaming ? 1 : Scoring.BatchSize);
                    line.Clear();
                    Placeholders(reader.Stats.LinesRead);
                    writer.Write(line);
                    return result;
                });
            }

            Console.Error.WriteLine(placeholders == 0
                ? $"predicted {rows:N0} rows; {stats}"
                : $"predicted {rows:N0} rows and wrote nan for the {placeholders:N0} lines that were skipped, keeping one output line per input line; {stats}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Writes the predictions to stdout ('-') or through <see cref="OutputFile"/> (atomic file, or a device/FIFO stream).</summary>
    private static T WriteOutput<T>(string target, Func<TextWriter, T> write)
    {
        if (target == "-")
        {
            if (typeof(PredictCommand).Assembly != System.Reflection.Assembly.GetEntryAssembly())
            {
                return write(Console.Out); // a host running the CLI in-process (tests) captures Console.Out
            }

            // The process's own stdout as a file: Console.Out swallows EPIPE on Unix, so `predict -o - | head -3` would
            // go on and claim every row predicted. Here a reader that closed the pipe ends the run as an I/O error.
            using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            try
            {
                T result = write(writer);
                writer.Flush();
                return result;
            }
            catch (IOException e)
            {
                throw new IOException($"writing the predictions to stdout failed ({e.Message}): its reader closed it before the last row", e);
            }
        }

        return OutputFile.Write(target, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            T result = write(writer);
            writer.Flush();
            return result;
        });
    }
}
