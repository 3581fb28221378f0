using System.CommandLine;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Data.Synthetic;
using Clickwise.Experiments;
using Clickwise.Inference;
using Clickwise.IO;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise quickstart</c>: the whole product on the embedded default — synthetic Criteo-format logs →
/// DeepFwFM → held-out evaluation → model file → reload → predict → a short report.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Synthetic rows to generate", DefaultValueFactory = _ => 400_000 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 2 };
        var model = new Option<string>("--model", "-a") { Description = "Architecture to train", DefaultValueFactory = _ => "deepfwfm" };
        var seed = new Option<int>("--seed") { Description = "Seed of data, split and training", DefaultValueFactory = _ => 1 };
        var workdir = new Option<string>("--workdir") { Description = "Where files go", DefaultValueFactory = _ => "clickwise-quickstart" };
        var threads = CommonOptions.Threads();
        var command = new Command("quickstart", "Generate synthetic Criteo logs, train DeepFwFM, evaluate, save, reload, predict");
        CommonOptions.AddAll(command, rows, epochs, model, seed, workdir, threads);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var compute = CommonOptions.Compute(parse.GetValue(threads));
            string dir = parse.GetValue(workdir)!;
            Directory.CreateDirectory(dir);
            string dataPath = Path.Combine(dir, "synthetic-criteo.tsv");
            int s = parse.GetValue(seed);
            long n = parse.GetValue(rows);
            if (n < 1000)
            {
                throw new UsageException("--rows must be >= 1000");
            }

            using RunLock runLock = RunLock.Acquire(dir);
            Console.WriteLine($"1/5 synth: {n:N0} Criteo-format rows → {dataPath}");
            SyntheticReport synth = SyntheticGenerator.Generate(
                new SyntheticOptions { Profile = "criteo", Rows = n, Seed = (ulong)s, Threads = Math.Max(1, parse.GetValue(threads)) }, dataPath);
            Console.WriteLine($"    positive rate {synth.PositiveRate:F3}, teacher AUC {synth.TeacherAuc:F4} (ceiling), {synth.Seconds:F1} s");

            string modelPath = Path.Combine(dir, "model.cwm");
            var preprocessing = DataConfig.Criteo with { Seed = s };
            var request = new TrainRequest
            {
                Data = new DataSource { Path = dataPath, Reader = new ReaderOptions { Format = DataFormat.Criteo } },
                Preprocessing = preprocessing,
                Model = ModelPresets.Criteo(parse.GetValue(model)!) with { Seed = s },
                Training = TrainingConfig.Criteo with { Epochs = parse.GetValue(epochs), Seed = s },
                WorkDir = Path.Combine(dir, "run"),
                ModelPath = modelPath,
                Compute = compute,
            };
            Console.WriteLine($"2/5 train {request.Model.Name} (embedding {request.Model.EmbeddingDim}, DNN {string.Join("x", request.Model.HiddenUnits)}, "
                + $"batch {request.Training.BatchSize}, {request.Training.Epochs} epoch{(request.Training.Epochs == 1 ? "" : "s")})");
            TrainReport report = ConsoleProgress.Run(false, observers => TrainRun.Execute(request, observers));

            Console.WriteLine($"3/5 reload {modelPath} and re-evaluate the held-out test split");
            ModelArtifact artifact = ModelArtifact.Load(modelPath);
            CompiledModel compiled = artifact.Compile(compute: compute);
            using PreparedDataset data = DatasetBuilder.Open(Path.Combine(request.WorkDir, "cache"), preprocessing);
            var reloaded = Evaluation.Run(compiled, data.Test).Result;
            if (Math.Abs(reloaded.Auc - report.Test.Auc) > 1e-6)
            {
                throw new InvalidDataException($"reloaded model disagrees: test AUC {reloaded.Auc} vs {report.Test.Auc} before saving");
            }

            Console.WriteLine("4/5 predict the first rows of the file with the reloaded model");
            string predictionsPath = Path.Combine(dir, "predictions.txt");
            int[] probeIds = PredictHead(compiled, artifact, dataPath, predictionsPath, out int predicted);

            Console.WriteLine("5/5 measure prediction speed");
            SpeedReport speed = SpeedProbe.Measure(compiled, probeIds, probeIds.Length / compiled.FieldCount, requests: 5000, batchSize: 10_000);

            Console.WriteLine();
            Console.WriteLine("Clickwise quickstart report");
            Console.WriteLine($"  rows           {report.Rows:N0} (train {report.TrainRows:N0} / valid {report.ValidRows:N0} / test {report.TestRows:N0})");
            Console.WriteLine($"  test AUC       {report.Test.Auc:F4}   (teacher ceiling {synth.TeacherAuc:F4})");
            Console.WriteLine($"  test logloss   {report.Test.LogLoss:F4}");
            Console.WriteLine($"  parameters     {report.Parameters:N0}");
            Console.WriteLine($"  train speed    {report.TrainSamplesPerSec:N0} samples/s ({compute.Threads} threads)");
            Console.WriteLine($"  predict        batch 1: p50 {speed.P50Micros:F1} µs, p99 {speed.P99Micros:F1} µs; batch {speed.BatchSize:N0}: {speed.BatchSamplesPerSec:N0} samples/s");
            Console.WriteLine($"  files          {modelPath}, {predictionsPath} ({predicted:N0} rows), {Path.Combine(request.WorkDir, "metrics.jsonl")}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int[] PredictHead(CompiledModel compiled, ModelArtifact artifact, string dataPath, string outputPath, out int predicted)
    {
        const int Rows = 10_000;
        var ids = new List<int>();
        int count = 0;
        using var reader = new HeadReader(RecordReaders.Open(dataPath, new ReaderOptions { Format = DataFormat.Criteo }), Rows);
        OutputFile.Write(outputPath, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Scoring.Stream(compiled, artifact.FeatureMap, reader, (batch, logits) =>
            {
                foreach (float z in logits)
                {
                    writer.WriteLine(BinaryLogLoss.Sigmoid(z).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                }

                ids.AddRange(batch.IdsInUse.ToArray());
                count += batch.Count;
            });
        });
        predicted = count;
        return [.. ids];
    }

    /// <summary>The first rows of a reader.</summary>
    private sealed class HeadReader(Clickwise.Data.IRecordReader inner, long limit) : Clickwise.Data.IRecordReader
    {
        private long _read;

        public Clickwise.Data.DataSchema Schema => inner.Schema;

        public Clickwise.Data.BadLineStats Stats => inner.Stats;

        public bool Read(Clickwise.Data.RawRecord record) => _read++ < limit && inner.Read(record);

        public void Dispose() => inner.Dispose();
    }
}
