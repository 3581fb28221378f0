namespace Clickwise.Compression.Pruning;

/// <summary>
/// DeepLight pruning settings of a training run (<c>train --sparsity …</c>, or a config file's <c>pruning</c>
/// section). Defaults are the paper's — 2 warm-up epochs, D = 0.99, re-prune every 10 iterations, one global
/// embedding threshold — except U: the paper's 100 iterations suit Criteo's 18k iterations an epoch, so by default U
/// is fitted to the run (<see cref="PruningSchedule.FitDecayIterations"/>); set it to 100 for the paper's value.
/// Masks persist unless <see cref="Regrow"/>.
/// </summary>
public sealed record PruningConfig
{
    /// <summary>Targets in either notation: "dnn=0.9,r=0.9,emb=0.4" or "D-90% &amp; R-90% &amp; F-40%".</summary>
    public string Sparsity { get; init; } = "";

    public int WarmupEpochs { get; init; } = 2;

    public double Decay { get; init; } = 0.99;

    /// <summary>U; 0 (the default) fits it to the run.</summary>
    public double DecayIterations { get; init; }

    public int Interval { get; init; } = 10;

    /// <summary>
    /// The epoch (fractions allowed) by whose end the targets are reached; later epochs train at them and the best
    /// validation epoch among the at-target ones is restored. 0 (the default): the last step, keeping the last epoch.
    /// </summary>
    public double UntilEpoch { get; init; }

    public EmbeddingPruningScope EmbeddingScope { get; init; } = EmbeddingPruningScope.Global;

    /// <summary>Let pruned weights come back between prunes, as the reference code does (off: masks persist).</summary>
    public bool Regrow { get; init; }

    public SparsityTargets Targets => SparsityTargets.Parse(Sparsity);

    public PruningSchedule Schedule => new(WarmupEpochs, Decay, DecayIterations, Interval, UntilEpoch);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad key.</summary>
    public void Validate(int epochs)
    {
        try
        {
            _ = Targets;
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"pruning.sparsity: {e.Message}", e);
        }

        try
        {
            Schedule.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException($"pruning.{e.ParamName}: {e.Message}", e);
        }

        if (WarmupEpochs >= epochs)
        {
            throw new ArgumentException($"pruning.warmup_epochs: {WarmupEpochs} warm-up epochs leave none of the {epochs} epochs to prune in");
        }

        if (UntilEpoch > epochs)
        {
            throw new ArgumentException($"pruning.until_epoch: {UntilEpoch} is after the run's {epochs} epochs");
        }
    }
}
