using Clickwise.Distributed;
using Clickwise.Layers;
using Clickwise.Training;
using Clickwise.Training.Optimizers;
using Clickwise.Tests.Training;
using static Clickwise.Tests.Training.TrainingFixtures;

namespace Clickwise.Tests.Distributed;

/// <summary>
/// The exchanges on a job of one rank: every pack, collective and unpack runs, and must give back exactly what the
/// backward pass left (sums of one term, copies of the rank's own rows), so training is bit-identical to training
/// alone. The two-rank arithmetic is <see cref="DataParallelStepTests"/>' (category Mpi).
/// </summary>
public sealed class SingleRankExchangeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clickwise-exchange-").FullName;

    private static readonly TrainingConfig Config = new() { Epochs = 2, BatchSize = 32, LearningRate = 0.01, L2Embedding = 1e-4, Seed = 5 };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(TableSharding.Replicated, "adam")]
    [InlineData(TableSharding.Rows, "adam")]
    [InlineData(TableSharding.Rows, "adagrad")]
    public void OneRankTrainsBitIdenticallyToTrainingAlone(TableSharding tables, string optimizer)
    {
        TrainingConfig config = Config with { Optimizer = optimizer };
        var alone = new TinyModel(Layout, 64, dropout: 0f);
        new Trainer(alone, config).Fit(Separable(300, 1), cancellationToken: TestContext.Current.CancellationToken);

        var ranked = new TinyModel(Layout, 64, dropout: 0f);
        var parallel = new DataParallelism(SingleProcessCommunicator.Instance, tables);
        (IGradientExchange exchange, CommunicationStats stats) = parallel.CreateExchange(ranked.Parameters);
        new Trainer(ranked, config) { Exchange = exchange }.Fit(Separable(300, 1), cancellationToken: TestContext.Current.CancellationToken);

        AssertBitIdentical(Snapshot(alone.Parameters), ranked.Parameters);
        Assert.Equal(2 * 10, stats.Steps); // 300 rows in batches of 32, two epochs
        long dense = alone.Parameters.Where(p => !p.IsRowSparse).Sum(p => (long)p.Length);
        Assert.Equal(4 * (dense + 2) * stats.Steps, stats.DenseBytes);
        Assert.True(stats.EmbeddingBytes > 0);
    }

    [Fact]
    public void ACheckpointResumesOnlyWithAsManyRanks()
    {
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        var model = new TinyModel(Layout, 64, dropout: 0f);
        new Trainer(model, Config with { Epochs = 1 }) { CheckpointPath = checkpoint, Exchange = new TwoRanksOfOneProcess() }
            .Fit(Separable(100, 1), cancellationToken: TestContext.Current.CancellationToken);

        var alone = new Trainer(new TinyModel(Layout, 64, dropout: 0f), Config);
        var e = Assert.Throws<InvalidDataException>(() => alone.Resume(checkpoint));
        Assert.Equal($"{checkpoint}: written by a run of 2 rank(s); resuming needs the same number (got 1) to continue the same shards and data order", e.Message);

        var again = new Trainer(new TinyModel(Layout, 64, dropout: 0f), Config) { Exchange = new TwoRanksOfOneProcess() };
        again.Resume(checkpoint);
        Assert.Equal(1, again.State.Epoch);
    }

    /// <summary>Claims two ranks whose other rank sent the same as this one: the sums double what the halved loss gradient gave.</summary>
    private sealed class TwoRanksOfOneProcess : IGradientExchange
    {
        public int Ranks => 2;

        public void BeforeForward(Clickwise.Data.Batch batch, ParameterSet parameters)
        {
        }

        public StepTotals Reduce(ParameterSet parameters, double loss, int rows)
        {
            foreach (Parameter p in parameters)
            {
                if (p.Grad is { } grad)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(grad, 2f, grad);
                }
                else if (p.RowGrad is { } rowGrad)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(rowGrad.Values.AsSpan(0, rowGrad.Count * rowGrad.Width), 2f,
                        rowGrad.Values.AsSpan(0, rowGrad.Count * rowGrad.Width));
                }
            }

            return new StepTotals(loss, 2 * rows);
        }

        public void Synchronize(ParameterSet parameters, IOptimizer optimizer)
        {
        }
    }
}
