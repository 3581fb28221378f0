using System.Globalization;
using System.Text;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>
/// <c>docs/models.md</c>, generated from <see cref="ModelRegistry.Entries"/> and <see cref="RunPresets.All"/>: the models
/// with their formulas, papers and own settings, and every preset's architecture, training and data per model. A test
/// compares it with the committed file (<c>CLICKWISE_UPDATE_DOCS=1</c> on that test rewrites it).
/// </summary>
public static class ModelDocs
{
    /// <summary>How to regenerate the file, for its header and for the test's failure message.</summary>
    public const string RegenerateCommand =
        "CLICKWISE_UPDATE_DOCS=1 dotnet test tests/Clickwise.Tests -c Release --filter FullyQualifiedName~ModelDocsTests";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render()
    {
        var md = new StringBuilder();
        Line(md, "<!-- Generated from ModelRegistry.Entries (src/Clickwise/Models/ModelRegistry.cs) and RunPresets.All");
        Line(md, "     (src/Clickwise/Runs/RunPresets.cs) by src/Clickwise.Experiments/ModelDocs.cs. Do not edit; regenerate with");
        Line(md, $"     {RegenerateCommand} -->");
        Line(md, "# Models and presets");
        Line(md);
        Line(md, $"`--model NAME` (or `name` in a config's `model` section) picks one of the {ModelRegistry.Entries.Count} registered "
            + "models; `--preset NAME` (or `preset` in a config) one paper's preprocessing, training settings and, per model, architecture.");
        Line(md);
        Models(md);
        Presets(md);
        return md.ToString();
    }

    private static void Models(StringBuilder md)
    {
        Line(md, "## Models");
        Line(md);
        Line(md, "e: a feature's embedding, x: its value (1 for a category), w: first-order weights, w₀: the bias, F fields, D the "
            + "embedding width, P = F(F−1)/2 field pairs ([terminology.md](terminology.md)).");
        Line(md);
        Line(md, "| `--model` | model | family | logit | paper |");
        Line(md, "| --- | --- | --- | --- | --- |");
        foreach (ModelEntry e in ModelRegistry.Entries)
        {
            Line(md, $"| `{e.Name}` | {e.Title} | {e.Family} | {Cell(e.Logit)} | {Cell(e.Paper)} |");
        }

        Line(md);
        Line(md, "### Settings of single models");
        Line(md);
        Line(md, "Every model reads `embedding_dim`, `seed` and, with a DNN, `hidden_units`, `dropout` and `activation` from the "
            + "`model` section of a config (flags `--embedding-dim`, `--hidden`, `--dropout`, `--activation`). These keys only some "
            + "models read; the others ignore them:");
        Line(md);
        foreach (ModelEntry e in ModelRegistry.Entries.Where(e => e.Settings is not null))
        {
            Line(md, $"- `{e.Name}`: {e.Settings}.");
        }

        Line(md);
        Line(md, "`activation` is `relu` (the default) or `tanh`, as the DeepFM paper's Table III uses for IPNN and FM & DNN; model "
            + "files written before the key existed load as `relu`. A tanh network compiles to dense layers with a tanh epilogue: "
            + "the sparse layer kernels and the live sub-network of a pruned DNN assume ReLU, so only ReLU networks get them.");
        Line(md);
    }

    private static void Presets(StringBuilder md)
    {
        Line(md, "## Presets");
        Line(md);
        Line(md, "Presets hold one paper's preprocessing, training settings and, per model, architecture "
            + "(`src/Clickwise/Runs/RunPresets.cs`, `src/Clickwise/Models/ModelPresets.cs`). "
            + "A preset applies first: a config file's section (JSON or YAML) overrides only the keys it names, and single flags (`--hidden`, "
            + "`--activation`, `--lr`, …) override single keys. `compare --preset` gives each of its `--models` that model's row. "
            + "A model the paper does not cover gets the preset's settings for it all the same (the \"not covered\" rows).");
        Line(md);
        Line(md, "Dropout here is a rate. The DeepFM paper prints keep probabilities (\"Dropout refers to the probability that a "
            + "neuron is kept in the network\", §IV.C.2, and its Figure 11 sweeps 1.0 down to 0.5), so its 0.8 is a rate of 0.2 and "
            + "its 1.0 no dropout. It trains LR with FTRL and gives no FTRL settings; α = 2 comes from a sweep on the 2M synthetic "
            + "rows: batch-mean gradients need a far larger α than per-example FTRL, and LR then reaches 0.7785 test AUC against "
            + "Adam's 0.7806 ([ftrl-lr-sweep](../benchmarks/intel-xeon/ftrl-lr-sweep.md)). No paper gives epochs: 10 with early "
            + "stopping throughout.");
        Line(md);
        Line(md, "| preset | source | models the paper covers |");
        Line(md, "| --- | --- | --- |");
        string defaultPreset = new RunConfig().Preset;
        foreach (RunPreset p in RunPresets.All)
        {
            string name = p.Name == defaultPreset ? $"[`{p.Name}`](#{p.Name}) (default)" : $"[`{p.Name}`](#{p.Name})";
            Line(md, $"| {name} | {Cell(p.Source)} | {string.Join(", ", p.Covers)} |");
        }

        foreach (RunPreset p in RunPresets.All)
        {
            Line(md);
            Line(md, $"### {p.Name}");
            Line(md);
            Line(md, $"{p.Source}. Data: {Describe(p.Data)}.{(p.Notes is null ? "" : " " + p.Notes)}");
            Line(md);
            Line(md, "| models | architecture | training |");
            Line(md, "| --- | --- | --- |");
            Rows(md, p, p.Covers, "");
            Rows(md, p, [.. ModelRegistry.Names.Where(n => !p.Covers.Contains(n))], "not covered: ");
        }
    }

    private static void Rows(StringBuilder md, RunPreset preset, IReadOnlyList<string> models, string prefix)
    {
        foreach (var group in models.GroupBy(m => (Architecture: Describe(preset.Model(m)), Training: Describe(preset.TrainingFor(m)))))
        {
            Line(md, $"| {prefix}{string.Join(", ", group.Select(m => $"`{m}`"))} | {group.Key.Architecture} | {group.Key.Training} |");
        }
    }

    private static string Describe(ModelConfig c)
    {
        string text = string.Create(Invariant,
            $"embedding {c.EmbeddingDim}, DNN {string.Join("×", c.HiddenUnits)} {c.Activation.ToString().ToLowerInvariant()}, dropout {c.Dropout:0.##}");
        return c.Options is XDeepFMOptions cin ? text + $", CIN {string.Join("×", cin.CinLayers)}" : text;
    }

    private static string Describe(TrainingConfig t)
    {
        string optimizer = t.Optimizer switch
        {
            "adam" => $"Adam lr {Number(t.LearningRate)} ({t.AdamMode.ToString().ToLowerInvariant()} tables)",
            "ftrl" => $"FTRL-Proximal α {Number(t.LearningRate)}, β {Number(t.FtrlBeta)}, λ1 {Number(t.L1)}",
            _ => $"{t.Optimizer} lr {Number(t.LearningRate)}",
        };
        string l2 = t.L2Embedding == t.L2Net
            ? $"L2 {Number(t.L2Net)}"
            : $"L2 {Number(t.L2Embedding)} (embeddings), {Number(t.L2Net)} (network)";
        return $"{optimizer}, batch {t.BatchSize}, {l2}, {t.Epochs} epochs";
    }

    private static string Describe(DataConfig d)
    {
        string split = string.Create(Invariant,
            $"{(d.SplitMode == SplitMode.Sequential ? "sequential" : "random")} split {d.Split.Train:0.#%} / {d.Split.Valid:0.#%} / {d.Split.Test:0.#%} (train / valid / test)");
        string vocabulary = d.HashBuckets > 0 ? $"hashing into {d.HashBuckets} buckets" : $"min count {d.MinCount}";
        return $"{vocabulary}, {split}";
    }

    private static string Number(double value) =>
        value == 0 || Math.Abs(value) >= 1e-4 ? value.ToString("0.####", Invariant) : value.ToString("0.##e-0", Invariant);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
