using System.CommandLine;
using Clickwise.Serving;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise serve</c>: an HTTP server over a model repository (<c>DIR/&lt;name&gt;/&lt;version&gt;/model.cwm</c>) speaking
/// the Open Inference Protocol v2 and TF Serving's predict, until SIGTERM or Ctrl-C.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Model repository: DIR/<name>/<version>/model.cwm", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (all interfaces)", DefaultValueFactory = _ => 8080 };
        var threads = CommonOptions.Threads();
        threads.Description = "Batch workers per model, one core each";
        var maxBatch = new Option<int>("--max-batch") { Description = "Rows one coalesced plan call takes at most", DefaultValueFactory = _ => 256 };
        var batchWait = new Option<int>("--batch-wait-us")
        {
            Description = "Microseconds a worker waits for requests still being parsed before it runs a batch",
            DefaultValueFactory = _ => 200,
        };
        var queue = new Option<int>("--queue") { Description = "Requests a model queues at most; more are refused with 503", DefaultValueFactory = _ => 1024 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Per-request deadline; past it the answer is 504", DefaultValueFactory = _ => 2000 };
        var poll = new Option<double>("--poll-seconds")
        {
            Description = "How often the repository is scanned for new versions (0: only on SIGHUP or a load request)",
            DefaultValueFactory = _ => 5,
        };
        var check = new Option<bool>("--check")
        {
            Description = "Load, compile, warm up and self-test every model as serving would, print which version would serve, and exit (65 if one would not)",
        };
        var command = new Command("serve", "Serve the models of a repository over HTTP (Open Inference Protocol v2, TF Serving predict, /metrics)");
        CommonOptions.AddAll(command, models, port, threads, maxBatch, batchWait, queue, timeout, poll, check);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string directory = parse.GetValue(models)!;
            if (!Directory.Exists(directory))
            {
                throw new FileNotFoundException($"no such model repository: {directory}", directory);
            }

            var options = new ServeOptions
            {
                ModelsDirectory = directory,
                Port = parse.GetValue(port),
                Threads = CommonOptions.Compute(parse.GetValue(threads)).Threads,
                MaxBatchRows = parse.GetValue(maxBatch),
                BatchWait = TimeSpan.FromMicroseconds(parse.GetValue(batchWait)),
                QueueCapacity = parse.GetValue(queue),
                RequestTimeout = TimeSpan.FromMilliseconds(parse.GetValue(timeout)),
                PollInterval = TimeSpan.FromSeconds(parse.GetValue(poll)),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            if (parse.GetValue(check))
            {
                return Check(options);
            }

            ServerApp.Build(options).Run();
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int Check(ServeOptions options)
    {
        IReadOnlyList<ModelIndexEntry> models = ServerApp.Check(options);
        foreach (ModelIndexEntry model in models)
        {
            Console.WriteLine(model.Version is { } version && model.Reason is null
                ? $"{model.Name}: version {version} would serve"
                : $"{model.Name}: {(model.Version is { } serving ? $"version {serving} would serve, but " : "")}{model.Reason}");
        }

        if (models.Count == 0)
        {
            Console.Error.WriteLine($"clickwise: no model directories in {Path.GetFullPath(options.ModelsDirectory)} (expected <name>/<version>/model.cwm)");
            return ExitCodes.DataError;
        }

        return models.All(m => m.Reason is null) ? ExitCodes.Success : ExitCodes.DataError;
    }
}
