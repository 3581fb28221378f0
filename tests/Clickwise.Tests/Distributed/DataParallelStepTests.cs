using Clickwise.Runs;
using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Reliability;

namespace Clickwise.Tests.Distributed;

/// <summary>
/// <c>mpirun -np 2 clickwise train --distributed mpi</c> against one process: a dataset of exactly two local batches
/// trains one step per epoch, so rank r's batch is its shard and the ranks' batches concatenated are the single
/// process's one batch of twice the size. Every tensor of the two models must agree to float rounding (summation
/// order), for dense and embedding parameters, replicated and row-sharded tables, SGD (the step is the gradient) and
/// lazy Adam over two steps (its state crosses an epoch end, where row-sharded state is gathered).
/// </summary>
[Collection(CliCollection.Name)]
[Trait("Category", Category)]
public sealed class DataParallelStepTests : IDisposable
{
    public const string Category = "Mpi";

    private const int LocalBatch = 64;
    private const int Ranks = 2;

    private static readonly string[] Launcher = ["mpirun", "-np", Ranks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--oversubscribe", "--allow-run-as-root"];

    private readonly TempDirectory _directory = new();
    private readonly string _prepared;

    public DataParallelStepTests()
    {
        Assert.True(OnPath("mpirun"), "mpirun is not on PATH: the Mpi tests need Open MPI 4 (apt-get install openmpi-bin)");
        string data = _directory.File("d.tsv");
        CliRunner.Expect(0, ["synth", "--rows", (Ranks * LocalBatch).ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "-o", data]);
        _prepared = _directory.File("prepared");
        CliRunner.Expect(0, ["prepare", "-d", data, "-o", _prepared, .. Preprocessing]);
    }

    /// <summary>
    /// Every rank in training: no held-out rows, every category its own row, no dropout: a rank draws the masks of its
    /// part of the global batch (LayerBehaviourTests), but one process orders the same rows differently.
    /// </summary>
    private static string[] Preprocessing => ["--min-count", "1", "--set", "preprocessing.split.train=1", "--set", "preprocessing.split.valid=0",
        "--set", "preprocessing.split.test=0"];

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("replicated", "sgd", 1)]
    [InlineData("rows", "sgd", 1)]
    [InlineData("replicated", "adam", 2)]
    [InlineData("rows", "adam", 2)]
    public void DistributedStepsEqualOneProcessOnTheConcatenatedBatches(string tables, string optimizer, int epochs)
    {
        string[] training = [.. Preprocessing, "--model", "deepfwfm", "--hidden", "16,16", "--dropout", "0", "--optimizer", optimizer,
            "--lr", optimizer == "sgd" ? "0.5" : "0.01", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--threads", "1", "--quiet"];
        string single = _directory.File($"single-{tables}-{optimizer}.cwm"), distributed = _directory.File($"mpi-{tables}-{optimizer}.cwm");
        CliRunner.Expect(0, ["train", "-d", _prepared, "-o", single, "--batch-size", (Ranks * LocalBatch).ToString(System.Globalization.CultureInfo.InvariantCulture), .. training]);
        ProcessResult run = CliProcess.RunUnder(_directory.Path, Launcher, ["train", "-d", _prepared, "-o", distributed,
            "--batch-size", LocalBatch.ToString(System.Globalization.CultureInfo.InvariantCulture), "--distributed", "mpi", "--table-sharding", tables, .. training]);
        Assert.True(run.ExitCode == 0, $"mpirun failed: {run}");

        // A nearly zero rate leaves the initial weights: every tensor must have moved far more than the tolerance.
        string start = _directory.File($"start-{tables}-{optimizer}.cwm");
        CliRunner.Expect(0, ["train", "-d", _prepared, "-o", start, "--batch-size", (Ranks * LocalBatch).ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. training.Select(a => a is "0.5" or "0.01" ? "1e-12" : a)]);
        IReadOnlyDictionary<string, float[]> expected = ModelArtifact.Load(single).Tensors, actual = ModelArtifact.Load(distributed).Tensors,
            initial = ModelArtifact.Load(start).Tensors;
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains(expected.Keys, name => name.Contains("embedding", StringComparison.Ordinal));
        foreach ((string name, float[] want) in expected)
        {
            float[] got = actual[name], before = initial[name];
            double worst = 0, moved = 0;
            for (int i = 0; i < want.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(got[i] - want[i]) / (1e-6 + 1e-4 * Math.Abs(want[i])));
                moved = Math.Max(moved, Math.Abs(want[i] - before[i]) / (1e-6 + 1e-4 * Math.Abs(want[i])));
            }

            Assert.True(worst <= 1, $"{name}: the distributed value differs from the single process's by {worst:F2}× the tolerance");
            Assert.True(moved > 10, $"{name}: training moved it only {moved:F1}× the tolerance, too little to tell steps apart");
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
