using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Runs;

namespace Clickwise.Experiments;

/// <summary>A model a cross-model ensemble may take: a pruned model of one study, its metrics and latency measured in this run.</summary>
public sealed record EnsembleCandidate(string Name, string Model, string Sparsity, string ModelPath)
{
    public double ValidAuc { get; init; } = double.NaN;

    public double TestAuc { get; init; } = double.NaN;

    public double P50Micros { get; init; } = double.NaN;
}

/// <summary>The ensemble chosen for one budget: its members, summed and measured latency, validation and test metrics.</summary>
public sealed record CrossModelEnsembleRow(double BudgetMicros, IReadOnlyList<string> Members, double SummedMicros, double P50Micros,
                                           double ValidAuc, double TestAuc, double TestLogLoss);

public sealed record CrossModelEnsembleReport(long ValidRows, long TestRows, IReadOnlyList<EnsembleCandidate> Candidates,
                                              IReadOnlyList<CrossModelEnsembleRow> Ensembles);

public sealed record CrossModelEnsembleOptions
{
    /// <summary>Latency budgets in µs; the paper's is 0.5 ms.</summary>
    public IReadOnlyList<double> BudgetsMicros { get; init; } = [500];

    public int LatencyRequests { get; init; } = 10_000;
}

/// <summary>
/// DeepLight §5.4 across model types: pruned models of several <c>deeplight</c> studies of one dataset and split (DeepFM,
/// NFM, xDeepFM, DeepFwFM…) ensembled under a batch-1 latency budget. For each budget, members are added greedily, each
/// time the one that most raises the averaged ensemble's validation AUC (never test AUC) while the members' summed p50s
/// fit; the chosen ensemble's own latency is then measured and its last members dropped until the measurement fits.
/// </summary>
public static class CrossModelEnsemble
{
    /// <summary>Every pruned model of each named study: each seed of each pruned setting and each ensemble member, once.</summary>
    public static IReadOnlyList<EnsembleCandidate> Candidates(IEnumerable<(string Name, PruningStudyReport Report)> studies) =>
        [.. studies.SelectMany(study => study.Report.Settings.Concat(study.Report.EnsembleMembers)
                .Where(r => r.Sparsity != "None")
                .DistinctBy(r => r.ModelPath)
                .Select(r => new EnsembleCandidate($"{study.Name} {r.Label}{(r.Label.Contains(" seed ", StringComparison.Ordinal) ? "" : $" seed {r.Seed}")}",
                    ModelArtifact.Load(r.ModelPath).Config.Name, r.Sparsity, r.ModelPath)))];

    /// <param name="dataRequest">The studies' data, preprocessing and split (its model and training settings are not used).</param>
    public static CrossModelEnsembleReport Run(TrainRequest dataRequest, IReadOnlyList<EnsembleCandidate> candidates, CrossModelEnsembleOptions options)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("no pruned models to ensemble", nameof(candidates));
        }

        using StudyData study = StudyData.Prepare(dataRequest);
        string vocabulary = study.Data.Map.ToJson();
        var compiled = new List<CompiledModel>();
        foreach (EnsembleCandidate candidate in candidates)
        {
            ModelArtifact artifact = ModelArtifact.Load(candidate.ModelPath);
            if (artifact.FeatureMap.ToJson() != vocabulary)
            {
                throw new InvalidDataException($"{candidate.ModelPath}: its vocabulary is not this data's; ensemble studies of the same data, config and split");
            }

            compiled.Add(artifact.Compile());
        }

        (float[] validLabels, float[] testLabels) = (EnsembleScoring.Labels(study.Data.Valid), EnsembleScoring.Labels(study.Data.Test));
        float[][] valid = [.. compiled.Select(m => EnsembleScoring.Probabilities(m, study.Data.Valid))];
        float[][] test = [.. compiled.Select(m => EnsembleScoring.Probabilities(m, study.Data.Test))];
        (int[] ids, int rows) = (study.SampleIds, study.SampleRows);
        EnsembleCandidate[] measured = [.. candidates.Select((c, i) => c with
        {
            ValidAuc = EnsembleScoring.Evaluate([i], valid, validLabels).Auc,
            TestAuc = EnsembleScoring.Evaluate([i], test, testLabels).Auc,
            P50Micros = EnsembleScoring.Latency([compiled[i]], ids, rows, options.LatencyRequests),
        })];

        var ensembles = new List<CrossModelEnsembleRow>();
        foreach (double budget in options.BudgetsMicros)
        {
            List<int> chosen = Choose(measured, valid, validLabels, budget);
            if (chosen.Count == 0)
            {
                continue; // no single model fits this budget
            }

            double summed = chosen.Sum(i => measured[i].P50Micros);
            double p50 = EnsembleScoring.FitMeasured(chosen, compiled, budget, ids, rows, options.LatencyRequests);
            EvaluationResult result = EnsembleScoring.Evaluate(chosen, test, testLabels);
            ensembles.Add(new CrossModelEnsembleRow(budget, [.. chosen.Select(i => measured[i].Name)], summed, p50,
                EnsembleScoring.Evaluate(chosen, valid, validLabels).Auc, result.Auc, result.LogLoss));
        }

        return new CrossModelEnsembleReport(study.Data.Valid.RowCount, study.Data.Test.RowCount, measured, ensembles);
    }

    /// <summary>Greedy forward selection by the averaged ensemble's validation AUC within the summed-p50 budget.</summary>
    public static List<int> Choose(IReadOnlyList<EnsembleCandidate> candidates, IReadOnlyList<float[]> validProbabilities, float[] validLabels, double budget)
    {
        var chosen = new List<int>();
        double summed = 0, best = double.NegativeInfinity;
        while (true)
        {
            (int pick, double pickAuc) = (-1, best);
            for (int i = 0; i < candidates.Count; i++)
            {
                if (chosen.Contains(i) || summed + candidates[i].P50Micros > budget)
                {
                    continue;
                }

                double auc = EnsembleScoring.Evaluate([.. chosen, i], validProbabilities, validLabels).Auc;
                if (auc > pickAuc)
                {
                    (pick, pickAuc) = (i, auc);
                }
            }

            if (pick < 0)
            {
                return chosen;
            }

            chosen.Add(pick);
            summed += candidates[pick].P50Micros;
            best = pickAuc;
        }
    }
}
