using System.CommandLine;
using Clickwise.Data.Cache;
using Clickwise.Data.Readers;
using Clickwise.Kernels;
using Clickwise.Runs;

namespace Clickwise.Cli;

/// <summary>Options several verbs share, spelled the VW/xLearn way (-d data, -m model, -o output).</summary>
internal static class CommonOptions
{
    public static Option<string> Data(bool required = true) => new("--data", "-d")
    {
        Description = "Input file (.gz detected by content; '-' reads stdin), or several read in order as one: a,b,c or a quoted glob 'days/day_*.gz'",
        Required = required,
    };

    /// <param name="defaultText">What is read when no format is typed (the preset's, the model's input, criteo).</param>
    public static Option<string?> Format(string defaultText) => new("--format")
    {
        Description = $"Input format: criteo, criteo-csv, avazu, deeplight, csv, libsvm (libfm), libffm [default: {defaultText}]",
    };

    public static Option<string> Model() => new("--model", "-m") { Description = "Model file (what train -o wrote)", Required = true };

    public static Option<bool> SkipBad() => new("--skip-bad")
    {
        Description = "Skip malformed lines and count them by reason instead of stopping at the first",
    };

    public static Option<double> MaxBadRatio() => new("--max-bad-ratio")
    {
        Description = "With --skip-bad: abort when more than this fraction of lines is bad",
        DefaultValueFactory = _ => 0.001,
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Compute threads (one per core)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON" };

    public static void AddAll(Command command, params Option[] options)
    {
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }
    }

    public static ReaderOptions Reader(string format, bool skipBad, double maxBadRatio, bool labeled = true)
    {
        if (maxBadRatio is < 0 or > 1)
        {
            throw new UsageException($"--max-bad-ratio must be in [0, 1], got {maxBadRatio}");
        }

        DataFormat parsed;
        try
        {
            parsed = DataFormats.Parse(format);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        if (!(maxBadRatio >= 0 && maxBadRatio <= 1)) // NaN too
        {
            throw new UsageException($"--max-bad-ratio is a fraction in [0, 1], got {maxBadRatio}");
        }

        return new ReaderOptions { Format = parsed, Strict = !skipBad, MaxBadRatio = maxBadRatio, Labeled = labeled };
    }

    /// <summary>
    /// How to read data for a saved model: as it was trained on (the file keeps its format and columns) unless
    /// <c>--format</c> is typed; <c>--skip-bad</c>, <c>--max-bad-ratio</c> and labels come from this command line.
    /// </summary>
    public static ReaderOptions ReaderFor(Runs.ModelArtifact artifact, ParseResult parse, Option<string?> format, bool skipBad, double maxBadRatio,
                                          bool labeled = true)
    {
        ReaderOptions typed = Reader(parse.GetValue(format) ?? "criteo", skipBad, maxBadRatio, labeled);
        ReaderOptions options;
        if (artifact.Input is not { } input)
        {
            options = typed;
        }
        else if (parse.GetValue(format) is null)
        {
            options = input with { Strict = typed.Strict, MaxBadRatio = typed.MaxBadRatio, Labeled = labeled };
        }
        else
        {
            RequireSameTokens(input, typed);
            options = typed;
        }

        return options.WithFieldCountOf(artifact.FeatureMap.FieldCount);
    }

    /// <summary>
    /// Delimited formats name their columns, which the model's feature map then checks; a libsvm token is a position's
    /// feature and a libffm token a field's, so data of another format than the model's would parse into other
    /// features with no error (AUC at chance).
    /// </summary>
    private static void RequireSameTokens(ReaderOptions trained, ReaderOptions typed)
    {
        if ((trained.IsSparse || typed.IsSparse) && trained.Format != typed.Format)
        {
            throw new InvalidDataException($"the model was trained on {DataFormats.Name(trained.Format)} data, and --format "
                + $"{DataFormats.Name(typed.Format)} reads other features from a line: score data of the model's own format "
                + $"(drop --format, or convert the data to {DataFormats.Name(trained.Format)})");
        }
    }

    /// <summary>The compute context of <c>--threads</c> (and <c>--sync-reading</c>): the default kernels over that many threads.</summary>
    public static ComputeContext Compute(int threads, bool synchronousReading = false)
    {
        if (threads < 1)
        {
            throw new UsageException($"--threads must be >= 1, got {threads}");
        }

        if (threads > Environment.ProcessorCount)
        {
            // More compute threads than cores only contend (1000 on 2 cores trained 18× slower): capped, and said.
            Console.Error.WriteLine($"clickwise: --threads {threads} is more than the {Environment.ProcessorCount} cores here; using {Environment.ProcessorCount}");
            threads = Environment.ProcessorCount;
        }

        return ComputeContext.Default with { Threads = threads, SynchronousReading = synchronousReading };
    }

    /// <summary>
    /// Checks that a model file exists, and says so plainly when an architecture name was given instead (<c>-m</c> is a
    /// model file on every verb; an architecture is train's <c>--model</c>/<c>-a</c>).
    /// </summary>
    public static void RequireModel(string path, string flag)
    {
        if (!File.Exists(path) && Models.ModelRegistry.Names.Contains(path))
        {
            throw new UsageException($"{flag} takes a model file (what train -o wrote), and '{path}' is an architecture name: "
                + $"name an architecture with train's --model/-a {path}");
        }

        RequireFile(path);
    }

    /// <summary>--split's value as a part of a split; a usage error naming the choices otherwise.</summary>
    public static SplitPart Part(string name)
    {
        try
        {
            return HeldOut.PartNamed(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Checks that every file <paramref name="path"/> names exists (a list or glob: each of them).</summary>
    public static void RequireFile(string path)
    {
        IReadOnlyList<string> files;
        try
        {
            files = InputFiles.Expand(path);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        if (files.FirstOrDefault(file => file != "-" && !File.Exists(file)) is { } missing)
        {
            throw Directory.Exists(missing)
                ? new UsageException($"{missing} is a directory, not a data file (a directory `prepare` wrote has a manifest; give the files, or a glob such as '{Path.Combine(missing, "*.gz")}')")
                : new FileNotFoundException($"no such file: {missing}", missing);
        }
    }
}
