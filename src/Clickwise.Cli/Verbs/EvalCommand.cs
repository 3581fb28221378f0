using System.CommandLine;
using System.Text.Json;
using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Metrics;
using Clickwise.Data.Readers;
using Clickwise.Experiments.Figures;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise eval</c>: AUC, logloss and calibration of a saved model on a labelled file, or on one part (<c>--split</c>)
/// of a prepared directory or of the text the model was trained on. Rows the model trained on are said to be so.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var format = CommonOptions.Format("as the model was trained on");
        var json = CommonOptions.Json();
        var skipBad = CommonOptions.SkipBad();
        var maxBad = CommonOptions.MaxBadRatio();
        var threads = CommonOptions.Threads();
        var columns = new ColumnOptions();
        var split = new Option<string?>("--split")
        {
            Description = "Evaluate one part of the model's split: test, valid or train (of a prepared directory, default test; "
                + "or of the text the model was trained on, split again by its saved ratios, mode and seed)",
        };
        var plot = new Option<string?>("--plot")
        {
            Description = "Directory for the figures: roc.svg/.png (the ROC curve) and calibration.svg/.png (the reliability diagram)",
        };
        var command = new Command("eval", "Evaluate a model file on labelled data");
        CommonOptions.AddAll(command, model, data, format, split, json, skipBad, maxBad, threads, plot);
        columns.AddTo(command);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var compute = CommonOptions.Compute(parse.GetValue(threads));
            string path = parse.GetValue(data)!;
            CommonOptions.RequireModel(parse.GetValue(model)!, "-m/--model");
            SplitPart? part = parse.GetValue(split) is { } name ? CommonOptions.Part(name) : null;
            bool prepared = PreparedDirectory.Is(path);
            if (!prepared)
            {
                CommonOptions.RequireFile(path);
            }

            ModelArtifact artifact = ModelArtifact.Load(parse.GetValue(model)!);
            EvaluationResult result;
            CalibrationReport calibration;
            RocCurve roc;
            string read;
            long skipped = 0;
            if (prepared)
            {
                (result, calibration, roc) = HeldOut.Evaluate(artifact, path, part ?? SplitPart.Test, compute);
                read = $"the {(part ?? SplitPart.Test).ToString().ToLowerInvariant()} part of prepared {path}";
            }
            else
            {
                ReaderOptions options = columns.Apply(parse, CommonOptions.ReaderFor(artifact, parse, format, parse.GetValue(skipBad), parse.GetValue(maxBad)));
                var input = new InputProgress();
                using IRecordReader reader = part is { } p ? HeldOut.Open(artifact, path, options, p, input) : RecordReaders.Open(path, options, input);
                if (part is null && HeldOut.TrainedOn(artifact, path) is { } trained)
                {
                    Console.Error.WriteLine($"clickwise: warning: {trained} is data the model was trained on, so these rows include its training rows "
                        + "and the metrics are optimistic; --split test evaluates only its held-out test rows");
                }

                BadLineStats stats;
                using (StderrProgress.ForInput("eval", input, quiet: false))
                {
                    (result, calibration, roc, stats) = Scoring.Evaluate(artifact.Compile(compute: compute), artifact.FeatureMap, reader);
                }

                read = stats.ToString();
                skipped = stats.Skipped;
            }

            if (parse.GetValue(plot) is { } figures)
            {
                StudyFigures.Write(result, roc, calibration, figures);
            }

            if (parse.GetValue(json))
            {
                var payload = new
                {
                    auc = ConfigJson.Finite(result.Auc),
                    logloss = ConfigJson.Finite(result.LogLoss),
                    rows = result.Rows,
                    positives = result.Positives,
                    predicted_ctr = ConfigJson.Finite(result.PredictedCtr),
                    observed_ctr = ConfigJson.Finite(result.ObservedCtr),
                    skipped,

                    calibration = calibration.Bins.Select(b => new
                    {
                        mean_prediction = ConfigJson.Finite(b.MeanPrediction),
                        observed_rate = ConfigJson.Finite(b.ObservedRate),
                        count = b.Count,
                    }),
                };
                Console.WriteLine(JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Console.WriteLine($"rows {result.Rows:N0}  AUC {result.Auc:F5}  logloss {result.LogLoss:F5}  predicted CTR {result.PredictedCtr:F4} / observed {result.ObservedCtr:F4}");
                if (double.IsNaN(result.Auc))
                {
                    // AUC ranks positives above negatives: with one class there is nothing to rank.
                    Console.WriteLine($"AUC is undefined: the data has {(result.Positives == 0 ? "no positive" : "no negative")} rows "
                        + $"({result.Positives:N0} positives of {result.Rows:N0})");
                }

                Console.WriteLine("calibration (the rows sorted by prediction, in groups of equal size):");
                Console.WriteLine("  mean prediction  observed rate       rows");
                foreach (var bin in calibration.Bins.Where(b => b.Count > 0))
                {
                    Console.WriteLine($"  {bin.MeanPrediction,15:F4}  {bin.ObservedRate,13:F4}  {bin.Count,9:N0}");
                }

                Console.WriteLine(read);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
