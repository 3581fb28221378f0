using System.CommandLine;
using Clickwise.Distributed;
using Clickwise.Distributed.Mpi;
using Clickwise.Runs;

namespace Clickwise.Cli;

/// <summary>
/// <c>train --distributed mpi</c>: the job's ranks (started by <c>mpirun</c>), how the tables are shared and how the
/// learning rate follows the global batch. A rank that fails says so and aborts the job, so no rank waits forever in a
/// collective for it.
/// </summary>
internal sealed class DistributedOptions
{
    private readonly Option<string> _distributed = new Option<string>("--distributed")
    {
        Description = "Data-parallel training over the ranks of `mpirun -np N clickwise train ...` (Open MPI 4): mpi, or none (default). "
            + "Needs a prepared dataset; global batch = N × --batch-size",
        DefaultValueFactory = _ => "none",
    }.AcceptOnlyFromAmong("none", "mpi");

    private readonly Option<string> _tables = new Option<string>("--table-sharding")
    {
        Description = "With --distributed: replicated (every rank holds every table; default) or rows (each row on the rank its hash names, "
            + "fetched and updated there)",
        DefaultValueFactory = _ => "replicated",
    }.AcceptOnlyFromAmong("replicated", "rows");

    private readonly Option<string> _lrScale = new Option<string>("--lr-scale")
    {
        Description = "With --distributed: the learning rate × sqrt(N), × N (linear) or unchanged (none; default)",
        DefaultValueFactory = _ => "none",
    }.AcceptOnlyFromAmong("none", "sqrt", "linear");

    public void AddTo(Command command)
    {
        command.Options.Add(_distributed);
        command.Options.Add(_tables);
        command.Options.Add(_lrScale);
    }

    /// <summary>Runs <paramref name="body"/> alone, or as one rank of an MPI job, and returns its exit code.</summary>
    public int Run(ParseResult parse, Func<DataParallelism?, int> body)
    {
        if (parse.GetValue(_distributed) != "mpi")
        {
            return parse.GetValue(_tables) != "replicated" || parse.GetValue(_lrScale) != "none"
                ? VerbRunner.Run(() => throw new UsageException("--table-sharding and --lr-scale take effect with --distributed mpi"))
                : VerbRunner.Run(() => body(null));
        }

        MpiCommunicator? communicator = null;
        int code = VerbRunner.Run(() =>
        {
            communicator = MpiCommunicator.Initialize();
            return ExitCodes.Success;
        });
        if (communicator is null)
        {
            return code;
        }

        var parallel = new DataParallelism(communicator, parse.GetValue(_tables) == "rows" ? TableSharding.Rows : TableSharding.Replicated);
        try
        {
            code = body(parallel);
        }
        catch (Exception error)
        {
            string message;
            (code, message) = VerbRunner.Describe(error);
            Console.Error.WriteLine($"clickwise: rank {communicator.Rank} of {communicator.Size}: {message}");
        }

        if (code != ExitCodes.Success && communicator.Size > 1)
        {
            Console.Error.WriteLine($"clickwise: rank {communicator.Rank} failed (exit code {code}); aborting the other ranks");
            communicator.Abort(code);
        }

        communicator.Dispose();
        return code;
    }

    /// <summary><paramref name="request"/> trained by <paramref name="parallel"/>'s ranks, its learning rate scaled for their global batch.</summary>
    public TrainRequest Apply(ParseResult parse, TrainRequest request, DataParallelism? parallel)
    {
        if (parallel is null)
        {
            return request;
        }

        LearningRateScaling scaling = Enum.Parse<LearningRateScaling>(parse.GetValue(_lrScale)!, ignoreCase: true);
        return request with
        {
            Parallel = parallel,
            Training = request.Training with { LearningRate = request.Training.LearningRate * scaling.Factor(parallel.Communicator.Size) },
        };
    }
}
