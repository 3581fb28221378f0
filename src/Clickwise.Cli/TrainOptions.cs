using System.Globalization;
using System.CommandLine;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;
using Clickwise.Training.Optimizers;

namespace Clickwise.Cli;

/// <summary>
/// The options that describe a training run — data, preset/config, architecture, optimisation, pruning — shared
/// by the verbs that train (<c>train</c>, <c>deeplight</c>), and their translation into a <see cref="TrainRequest"/>.
/// </summary>
internal sealed class TrainOptions
{
    /// <summary>The settings a run has when nothing names others: the default preset's, for the default model.</summary>
    private static readonly RunConfig Defaults = new();
    private static readonly ModelConfig DefaultModel = Defaults.ModelFor(null);
    private static readonly TrainingConfig DefaultTraining = Defaults.TrainingFor(null);
    private static readonly Data.Pipeline.DataConfig DefaultPreprocessing = Defaults.ResolvedPreprocessing;

    private readonly Option<string> _data = CommonOptions.Data(required: false);
    private readonly Option<string?> _valid = new("--valid")
    {
        Description = "Validation file (early stopping); the vocabulary is fitted on the training rows only. Default: the split's valid part",
    };

    private readonly Option<string[]> _test = new("--test")
    {
        Description = "Test file (repeatable; each reported on its own), encoded with the training vocabulary. Default: the split's test part",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _format = CommonOptions.Format("the preset's, criteo or avazu");
    private readonly ColumnOptions _columns = new();
    private readonly Option<string?> _model = new("--model", "-a")
    {
        Description = $"Architecture: {string.Join(", ", ModelRegistry.Names)}{Default(DefaultModel.Name)}",
    };

    private readonly Option<string?> _config = new("--config") { Description = "Experiment config file (JSON; see configs/)" };
    private readonly Option<string?> _preset = new("--preset")
    {
        Description = $"A seed paper's settings (and data format), per model: {string.Join(", ", RunPresets.Names)}{Default(Defaults.Preset)}; "
            + $"the defaults shown are its settings for {DefaultModel.Name}, --print-config shows a run's",
    };

    private readonly Option<int?> _epochs = new("--epochs") { Description = $"Epochs (early stopping may end sooner){Default(DefaultTraining.Epochs)}" };
    private readonly Option<int?> _seed = new("--seed") { Description = $"Seed of initialisation, split and data order{Default(DefaultTraining.Seed)}" };
    private readonly Option<int?> _batchSize = new("--batch-size") { Description = $"Mini-batch size{Default(DefaultTraining.BatchSize)}" };
    private readonly Option<double?> _lr = new("--lr") { Description = $"Learning rate (FTRL: α){Default(DefaultTraining.LearningRate)}" };
    private readonly Option<string?> _optimizer = new("--optimizer")
    {
        Description = $"Optimizer: {string.Join(", ", OptimizerFactory.Names)}{Default(DefaultTraining.Optimizer)}",
    };

    private readonly Option<string?> _adamMode = new("--adam-mode")
    {
        Description = "Adam's updates of embedding tables: lazy (touched rows, own step counts), dense (torch.optim.Adam: every row) "
            + "or sparse (torch.optim.SparseAdam: touched rows, the table's step count); default: the preset's for the model (= --set training.adam_mode=...)",
    };

    private readonly Option<int?> _embeddingDim = new("--embedding-dim") { Description = $"Embedding width D{Default(DefaultModel.EmbeddingDim)}" };
    private readonly Option<string?> _hidden = new("--hidden")
    {
        Description = $"DNN hidden units, e.g. 400,400,400{Default(string.Join(',', DefaultModel.HiddenUnits))}",
    };

    private readonly Option<float?> _dropout = new("--dropout") { Description = $"Dropout rate of the DNN{Default(DefaultModel.Dropout)}" };
    private readonly Option<string?> _activation = new("--activation")
    {
        Description = $"DNN hidden activation: relu or tanh{Default(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(DefaultModel.Activation.ToString()))}",
    };
    private readonly Option<int?> _crossLayers = new("--cross-layers") { Description = "Cross layers L of dcn, dcnv2, gdcn (= --set cross_layers=L)" };
    private readonly Option<string?> _cinLayers = new("--cin-layers") { Description = "xdeepfm's CIN feature maps per layer, e.g. 100,100,50 (= --set cin_layers=...)" };
    private readonly Option<string[]> _set = new("--set")
    {
        Description = "A setting by its config key, key=value (repeatable): the model's (--set cross_rank=2; `inspect` lists them), "
            + "training.KEY or preprocessing.KEY (--set training.patience=1, --set preprocessing.split.train=0.8); --print-config shows every key",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<string?> _bilinearType = new("--bilinear-type")
    {
        Description = "fibinet's bilinear sharing: field_all, field_each or field_interaction",
    };
    private readonly Option<int?> _minCount = new("--min-count")
    {
        Description = $"Categories seen fewer times go to the OOV id{Default(DefaultPreprocessing.MinCount)}",
    };

    private readonly Option<string?> _splitMode = new("--split-mode")
    {
        Description = $"random (seeded) or sequential (by row order){Default(DefaultPreprocessing.SplitMode.ToString().ToLowerInvariant())}; "
            + "with -m/--init, the split (mode, ratios, seed) is the saved model's unless --seed, --split-mode or --set preprocessing.split… name one",
    };
    private readonly Option<string?> _pooling = new Option<string?>("--pooling")
    {
        Description = "How a multi-hot libsvm/libffm field's features combine: sum (default) or mean",
    }.AcceptOnlyFromAmong("sum", "mean");
    private readonly Option<string?> _sparsity = new("--sparsity")
    {
        Description = "Prune while training (DeepLight): dnn=0.9,r=0.9,emb=0.4 or \"D-90% & R-90% & F-40%\"",
    };

    private readonly Option<int?> _pruneWarmup = new("--prune-warmup") { Description = "Dense epochs before pruning starts (default 2)" };
    private readonly Option<int?> _pruneEvery = new("--prune-every") { Description = "Re-prune every N iterations (default 10)" };
    private readonly Option<double?> _pruneDecayIters = new("--prune-decay-iters")
    {
        Description = "U of s = S(1 - D^(k/U)) (default: fitted so the target is reached one epoch before the end)",
    };

    private readonly Option<double?> _pruneUntil = new("--prune-until")
    {
        Description = "Epoch (fractions allowed) by whose end the targets are reached; later epochs train at them and the best "
            + "validation epoch among those is kept (default: the last step, keeping the last epoch)",
    };

    private readonly Option<bool> _prunePerField = new("--prune-per-field") { Description = "One embedding threshold per field instead of one global" };
    private readonly Option<bool> _pruneRegrow = new("--prune-regrow") { Description = "Let pruned weights regrow between prunes (reference code)" };
    private readonly Option<string?> _init = new("--init", "-m")
    {
        Description = "Start from a saved model file (its architecture, vocabulary, weights and split): fine-tune, or prune it further; "
            + "with --model of another architecture, start that from the saved model's tables (e.g. --model fnn -m fm.cwm)",
    };

    private readonly Option<int?> _fmPretrainEpochs = new("--fm-pretrain-epochs")
    {
        Description = $"FNN: epochs of the FM trained first, whose tables the FNN starts from (0: no pre-training){Default(DefaultTraining.FmPretrainEpochs)}",
    };

    private readonly Option<bool> _skipBad = CommonOptions.SkipBad();
    private readonly Option<double> _maxBad = CommonOptions.MaxBadRatio();
    private readonly Option<int> _threads = CommonOptions.Threads();

    private readonly Option<string?> _vocabMemory = new("--vocab-memory")
    {
        Description = "Memory for the vocabulary pass's counts, all threads together (e.g. 256MB, 2GB, unbounded); beyond it they spill "
            + "to disk and are merged, giving the same vocabulary [default: a quarter of the memory available]",
    };

    private readonly Option<string?> _tempDir = new("--temp-dir")
    {
        Description = "Directory for the vocabulary pass's spill files (removed when done) [default: the output's directory]",
    };

    private readonly Option<bool> _syncReading = new("--sync-reading")
    {
        Description = "Read training batches on the training thread instead of prefetching them (the DeepFM paper's synchronous reading; same model, measures what prefetch buys)",
    };

    /// <summary>
    /// Adds the options. A verb that sets the targets itself leaves out <c>--sparsity</c> (<paramref name="sparsity"/>
    /// false); one that trains dense models only leaves out the schedule too (<paramref name="schedule"/> false); one
    /// that names its models another way leaves out <c>--model</c>.
    /// </summary>
    public void AddTo(Command command, bool sparsity = true, bool schedule = true, bool model = true)
    {
        CommonOptions.AddAll(command, _data, _valid, _test, _format);
        _columns.AddTo(command);
        if (model)
        {
            CommonOptions.AddAll(command, _model, _init);
        }

        CommonOptions.AddAll(command, _config, _preset, _epochs, _seed, _batchSize, _lr, _optimizer, _adamMode, _embeddingDim, _hidden, _dropout, _activation,
            _crossLayers, _cinLayers, _bilinearType, _set, _minCount,
            _splitMode, _pooling, _fmPretrainEpochs);
        if (sparsity)
        {
            CommonOptions.AddAll(command, _sparsity);
        }

        if (schedule)
        {
            CommonOptions.AddAll(command, _pruneWarmup, _pruneEvery, _pruneDecayIters, _pruneUntil, _prunePerField, _pruneRegrow);
        }

        CommonOptions.AddAll(command, _skipBad, _maxBad, _threads, _vocabMemory, _tempDir, _syncReading);
    }

    /// <summary>
    /// Every file <paramref name="request"/> reads, named by the option that gave it (for <see cref="OutputAliases"/>): the
    /// config file, and the data, validation, test and --init files, whether from flags or from the config.
    /// </summary>
    public IEnumerable<(string Option, string? Value)> Inputs(ParseResult parse, TrainRequest request)
    {
        string Named(Option option, string flag) => parse.GetResult(option) is null ? $"{flag} (from --config)" : flag;
        return
        [
            ("--config", parse.GetValue(_config)),
            (Named(_data, "-d/--data"), request.Data.Path),
            (Named(_valid, "--valid"), request.Valid?.Path),
            .. request.Tests.Select(test => (Named(_test, "--test"), (string?)test.Path)),
            ("--init", request.InitFrom),
        ];
    }

    /// <summary>The request the options describe (validated, with <see cref="UsageException"/> for bad values).</summary>
    public TrainRequest Request(ParseResult parse, string modelPath, string workDir, string? resumeFrom = null, bool pruningDefaults = false)
    {
        ComputeContext compute = CommonOptions.Compute(parse.GetValue(_threads), parse.GetValue(_syncReading));
        RunConfig run = Run(parse);
        // The command line's files win over the config file's data section, role by role.
        string path = parse.GetValue(_data) ?? run.Data?.Train
            ?? throw new UsageException("no training data: give -d FILE (or a config file's data.train)");
        string? validPath = parse.GetValue(_valid) ?? run.Data?.Valid;
        string[] testPaths = parse.GetValue(_test) is { Length: > 0 } tests ? tests : [.. run.Data?.Test ?? []];
        // A directory `prepare` wrote is data already parsed: read as it was prepared, with nothing to require.
        bool prepared = PreparedDirectory.Is(path);
        foreach (string file in testPaths.Prepend(validPath).Prepend(prepared ? null : path).OfType<string>())
        {
            CommonOptions.RequireFile(file);
        }

        // A format typed on the command line overrides the config file's (or the preset's).
        string formatName = parse.GetValue(_format) ?? run.ResolvedFormat;
        var reader = prepared
            ? PreparedDirectory.Reader(path)
            : _columns.Apply(parse, CommonOptions.Reader(formatName, parse.GetValue(_skipBad), parse.GetValue(_maxBad)));
        // A prepared dataset brings its preprocessing; flags that change it are refused when the run opens it.
        var preprocessing = prepared ? PreparedDirectory.Preprocessing(path) : run.ResolvedPreprocessing;
        if (parse.GetValue(_model) is { } named && !ModelRegistry.Names.Contains(named) && (File.Exists(named) || named.EndsWith(".cwm", StringComparison.Ordinal)))
        {
            throw new UsageException($"--model/-a names an architecture ({string.Join(", ", ModelRegistry.Names)}), and '{named}' is a model file: "
                + $"start from it with -m/--init {named}");
        }

        // The preset's architecture is per model, so it is resolved for the model named on the command line.
        var modelConfig = ApplyModelFlags(parse, run.ModelFor(parse.GetValue(_model)), lenient: false);
        if (!ModelRegistry.Names.Contains(modelConfig.Name))
        {
            throw new UsageException($"unknown model '{modelConfig.Name}'; expected one of: {string.Join(", ", ModelRegistry.Names)}");
        }

        var training = WithSets(parse, ApplyTrainingFlags(parse, run.TrainingFor(modelConfig.Name)), "training");
        if (parse.GetValue(_seed) is int s && !prepared)
        {
            preprocessing = preprocessing with { Seed = s }; // a prepared split keeps its seed; --seed then seeds training only
        }

        if (parse.GetValue(_minCount) is int mc) preprocessing = preprocessing with { MinCount = mc };
        if (parse.GetValue(_splitMode) is { } mode)
        {
            preprocessing = preprocessing with
            {
                SplitMode = mode switch
                {
                    "random" => SplitMode.Random,
                    "sequential" => SplitMode.Sequential,
                    _ => throw new UsageException($"unknown split mode '{mode}'; expected random or sequential"),
                },
            };
        }

        if (parse.GetValue(_init) is { } initPath && !prepared && !NamesSplit(parse, run))
        {
            preprocessing = WithSavedSplit(preprocessing, RequireModel(initPath));
        }

        if (parse.GetValue(_pooling) is { } pooling)
        {
            preprocessing = preprocessing with { Pooling = pooling == "mean" ? Pooling.Mean : Pooling.Sum };
        }

        preprocessing = WithSets(parse, preprocessing, "preprocessing");
        var request = new TrainRequest
        {
            Data = new DataSource { Path = path, Reader = reader },
            Valid = validPath is null ? null : new DataSource { Path = validPath, Reader = reader },
            Tests = [.. testPaths.Select(test => new DataSource { Path = test, Reader = reader })],
            Preprocessing = preprocessing,
            Model = modelConfig,
            Training = training,
            WorkDir = workDir,
            ModelPath = modelPath,
            ResumeFrom = resumeFrom,
            InitFrom = parse.GetValue(_init) is { } init ? RequireModel(init) : null,
            // --init alone continues the saved model; naming a model of another architecture starts that one from it.
            InitTransfer = parse.GetValue(_model) is not null,
            InitDropout = parse.GetValue(_init) is not null ? parse.GetValue(_dropout) : null,
            Pruning = Pruning(parse, run.Pruning ?? (pruningDefaults ? new PruningConfig() : null)),
            Compute = compute,
            VocabularyMemory = VocabularyBudget(parse),
        };
        try
        {
            // A verb that sets the targets itself validates the schedule here and the targets when it sets them.
            TrainRun.Validate(pruningDefaults ? request with { Pruning = null } : request);
            request.Pruning?.Schedule.Validate();
        }
        catch (ArgumentException invalid)
        {
            throw new UsageException(invalid.Message);
        }

        return request;
    }

    /// <summary>The vocabulary pass's budget and spill directory from <c>--vocab-memory</c> and <c>--temp-dir</c>.</summary>
    private VocabularyMemory VocabularyBudget(ParseResult parse)
    {
        VocabularyMemory memory = parse.GetValue(_vocabMemory) is not { } size ? VocabularyMemory.Default
            : size.Equals("unbounded", StringComparison.OrdinalIgnoreCase) ? VocabularyMemory.Unbounded
            : new VocabularyMemory { Budget = ByteSize.Parse(size, "--vocab-memory") };
        return memory with { TempDirectory = parse.GetValue(_tempDir) };
    }

    /// <summary>
    /// The architecture of model <paramref name="name"/> as <see cref="Request"/> would build it: the preset's (or config
    /// file's) settings for that model, then the flags. <c>compare</c> asks it once per model, so each gets its own preset row.
    /// </summary>
    /// Settings a compared model does not have are left out for it (<c>--cross-layers</c> sets the cross models only).
    public ModelConfig ModelFor(ParseResult parse, string name) => ApplyModelFlags(parse, Run(parse).ModelFor(name), lenient: true);

    /// <summary>
    /// The training settings of model <paramref name="name"/> as <see cref="Request"/> would build them (a preset can give
    /// a model its own optimiser, as the DeepFM paper's FTRL for LR), then the flags.
    /// </summary>
    public TrainingConfig TrainingFor(ParseResult parse, string name) => WithSets(parse, ApplyTrainingFlags(parse, Run(parse).TrainingFor(name)), "training");

    /// <summary>The training flags (and <c>--seed</c>) over <paramref name="training"/>: flags win over preset and config.</summary>
    private TrainingConfig ApplyTrainingFlags(ParseResult parse, TrainingConfig training)
    {
        if (parse.GetValue(_seed) is int s) training = training with { Seed = s };
        if (parse.GetValue(_epochs) is int e) training = training with { Epochs = e };
        if (parse.GetValue(_fmPretrainEpochs) is int pretrain) training = training with { FmPretrainEpochs = pretrain };
        if (parse.GetValue(_batchSize) is int b) training = training with { BatchSize = b };
        if (parse.GetValue(_lr) is double rate)
        {
            // Checked here, not only with the config: NaN and infinities cannot even pass through the JSON that --set edits.
            training = double.IsFinite(rate) && rate > 0 ? training with { LearningRate = rate } : throw new UsageException($"--lr must be a positive number, got {rate}");
        }

        if (parse.GetValue(_optimizer) is { } optimizer) training = training with { Optimizer = optimizer };
        if (parse.GetValue(_adamMode) is { } adamMode) training = training with { AdamMode = ParseEnum<AdamMode>(adamMode, "--adam-mode") };
        return training;
    }

    /// <summary>Whether the command line or config file says which rows train, validate and test.</summary>
    private bool NamesSplit(ParseResult parse, RunConfig run) =>
        parse.GetValue(_seed) is not null || parse.GetValue(_splitMode) is not null || run.NamesSplit
        || Sets(parse, "preprocessing").Any(set => RunConfig.SplitKeys.Any(key => set.Key == key || set.Key.StartsWith(key + ".", StringComparison.Ordinal)));

    /// <summary>
    /// Continuing a saved model on its data must not validate or test on rows it trained on, so the split (mode, ratios,
    /// seed) is the saved model's; a model file older than the saved preprocessing keeps the preset's.
    /// </summary>
    private static Data.Pipeline.DataConfig WithSavedSplit(Data.Pipeline.DataConfig preprocessing, string initPath) =>
        ModelArtifact.Load(initPath).Preprocessing is { } saved
            ? preprocessing with { Seed = saved.Seed, SplitMode = saved.SplitMode, Split = saved.Split }
            : preprocessing;

    /// <summary>The config file (if any) with <c>--preset</c> applied.</summary>
    private RunConfig Run(ParseResult parse)
    {
        string? configPath = parse.GetValue(_config);
        RunConfig run = configPath is null ? new RunConfig() : RunConfig.Load(configPath);
        if (parse.GetValue(_preset) is { } presetName)
        {
            if (!RunPresets.Names.Contains(presetName))
            {
                throw new UsageException($"unknown preset '{presetName}'; expected one of: {string.Join(", ", RunPresets.Names)}");
            }

            run = run with { Preset = presetName };
        }

        return run;
    }

    /// <summary>
    /// The architecture flags (and <c>--seed</c>) over <paramref name="model"/>: flags win over preset and config. Model-specific
    /// settings (<c>--set</c> and the named flags) go through the model's own settings; <paramref name="lenient"/> skips the ones
    /// it does not have instead of refusing them.
    /// </summary>
    private ModelConfig ApplyModelFlags(ParseResult parse, ModelConfig model, bool lenient)
    {
        if (parse.GetValue(_seed) is int s) model = model with { Seed = s };
        if (parse.GetValue(_embeddingDim) is int dim) model = model with { EmbeddingDim = dim };
        if (parse.GetValue(_dropout) is float p) model = model with { Dropout = p };
        if (parse.GetValue(_hidden) is { } units) model = model with { HiddenUnits = ParseUnits(units, "--hidden") };
        if (parse.GetValue(_activation) is { } act) model = model with { Activation = ParseEnum<Activation>(act, "--activation") };
        var settings = new List<(string Key, string Value, string Flag)>();
        if (parse.GetValue(_crossLayers) is int cross) settings.Add(("cross_layers", cross.ToString(CultureInfo.InvariantCulture), "--cross-layers"));
        if (parse.GetValue(_cinLayers) is { } cin) settings.Add(("cin_layers", cin, "--cin-layers"));
        if (parse.GetValue(_bilinearType) is { } bilinear) settings.Add(("bilinear_type", bilinear, "--bilinear-type"));
        foreach ((string key, string value) in Sets(parse, section: null))
        {
            settings.Add((key, value, "--set"));
        }

        // A compared model takes the settings it has; any other setting is refused in the flag's terms.
        var own = lenient ? settings.Where(setting => model.SettingKeys.Contains(setting.Key)).ToList() : settings;
        try
        {
            model = own.Count == 0 ? model : model.With(own.Select(setting => (setting.Key, setting.Value)));
        }
        catch (ArgumentException invalid)
        {
            string flags = string.Join(", ", own.Select(setting => setting.Flag).Distinct());
            throw new UsageException($"{flags}: {invalid.Message}");
        }

        return model;
    }

    /// <summary>
    /// The <c>--set</c> pairs of one section: <c>training.patience=1</c> and <c>preprocessing.min_count=2</c> name theirs,
    /// a bare key is the model's (null <paramref name="section"/>).
    /// </summary>
    private IEnumerable<(string Key, string Value)> Sets(ParseResult parse, string? section)
    {
        foreach (string pair in parse.GetValue(_set) ?? [])
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new UsageException($"--set wants key=value, got '{pair}'");
            }

            string key = pair[..eq].Trim(), value = pair[(eq + 1)..].Trim();
            string? named = key.StartsWith("training.", StringComparison.Ordinal) ? "training"
                : key.StartsWith("preprocessing.", StringComparison.Ordinal) ? "preprocessing"
                : null;
            if (named == section)
            {
                yield return (named is null ? key : key[(named.Length + 1)..], value);
            }
        }
    }

    /// <summary>A section with its <c>--set section.key=value</c> pairs, refused in the flag's terms.</summary>
    private T WithSets<T>(ParseResult parse, T current, string section)
    {
        try
        {
            return ConfigKeys.With(current, section, Sets(parse, section));
        }
        catch (ArgumentException invalid)
        {
            throw new UsageException($"--set: {invalid.Message}");
        }
    }

    private PruningConfig? Pruning(ParseResult parse, PruningConfig? pruning)
    {
        if (parse.GetResult(_sparsity) is not null && parse.GetValue(_sparsity) is { } targets)
        {
            pruning = (pruning ?? new PruningConfig()) with { Sparsity = targets };
        }

        if (pruning is null)
        {
            if (parse.GetResult(_pruneWarmup) is not null || parse.GetResult(_pruneEvery) is not null
                || parse.GetResult(_pruneDecayIters) is not null || parse.GetResult(_pruneUntil) is not null || parse.GetValue(_prunePerField) || parse.GetValue(_pruneRegrow))
            {
                throw new UsageException("pruning options need --sparsity (or a config file's pruning section)");
            }

            return null;
        }

        if (parse.GetValue(_pruneWarmup) is int w) pruning = pruning with { WarmupEpochs = w };
        if (parse.GetValue(_pruneEvery) is int every) pruning = pruning with { Interval = every };
        if (parse.GetValue(_pruneDecayIters) is double u) pruning = pruning with { DecayIterations = u };
        if (parse.GetValue(_pruneUntil) is double until) pruning = pruning with { UntilEpoch = until };
        if (parse.GetValue(_prunePerField)) pruning = pruning with { EmbeddingScope = EmbeddingPruningScope.PerField };
        if (parse.GetValue(_pruneRegrow)) pruning = pruning with { Regrow = true };
        return pruning;
    }

    private static string RequireModel(string path)
    {
        CommonOptions.RequireModel(path, "-m/--init");
        return path;
    }

    /// <summary>A default in System.CommandLine's own help style, for options whose default the preset decides.</summary>
    private static string Default(object value) => string.Create(CultureInfo.InvariantCulture, $" [default: {value}]");

    private static T ParseEnum<T>(string text, string flag)
        where T : struct, Enum
    {
        // Names as in config files (snake_case); the enum's own spelling and numbers are not accepted.
        string[] names = [.. Enum.GetNames<T>().Select(n => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(n))];
        int index = Array.IndexOf(names, text);
        return index >= 0
            ? Enum.GetValues<T>()[index]
            : throw new UsageException($"{flag} wants one of {string.Join(", ", names)}, got '{text}'");
    }

    private static int[] ParseUnits(string text, string flag)
    {
        try
        {
            int[] units = text.Split(',').Select(int.Parse).ToArray(); // "" names no layer: refused, not a DNN without one
            return units.Any(u => u < 1) ? throw new FormatException() : units;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"{flag} wants positive integers separated by commas, got '{text}'");
        }
    }
}
