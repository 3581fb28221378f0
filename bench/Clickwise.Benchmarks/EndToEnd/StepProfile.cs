using System.Diagnostics;
using Clickwise.Diagnostics;

namespace Clickwise.Benchmarks.EndToEnd;

/// <summary>
/// `e2e --profile`: the context's phase sink (<see cref="Clickwise.Kernels.ComputeContext.Phases"/>) collects the marks
/// of every timed training step and reports, per phase, the median milliseconds over steps (phases in first-seen order), plus the median of the whole step for comparison.
/// Phases marked more than once in a step (one per parameter, say) are summed within the step.
/// </summary>
internal sealed class StepProfile : IStepPhaseSink
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<double[]> _steps = [];
    private readonly double[] _current = new double[64];
    private long _last;

    /// <summary>Starts a step: the first phase is timed from here.</summary>
    public void BeginStep()
    {
        Array.Clear(_current);
        _last = Stopwatch.GetTimestamp();
    }

    public void End(string name)
    {
        long now = Stopwatch.GetTimestamp();
        if (!_index.TryGetValue(name, out int i))
        {
            i = _names.Count;
            _index.Add(name, i);
            _names.Add(name);
        }

        _current[i] += (now - _last) * 1e3 / Stopwatch.Frequency;
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Ends a step; <paramref name="keep"/> false for warm-up steps.</summary>
    public void EndStep(bool keep)
    {
        if (keep)
        {
            _steps.Add((double[])_current.Clone());
        }
    }

    /// <summary>Median ms per phase, in first-seen order, and their sum.</summary>
    public object Summary()
    {
        var phases = _names.Select((name, i) => new { phase = name, median_ms = Median(_steps.Select(s => s[i])) }).ToArray();
        return new { phases, sum_of_medians_ms = phases.Sum(p => p.median_ms) };
    }

    /// <summary>A fixed-width table for stderr, longest phases marked.</summary>
    public void Print(TextWriter writer)
    {
        double total = _names.Select((_, i) => Median(_steps.Select(s => s[i]))).Sum();
        writer.WriteLine($"median per phase over {_steps.Count} steps (ms):");
        for (int i = 0; i < _names.Count; i++)
        {
            double ms = Median(_steps.Select(s => s[i]));
            writer.WriteLine($"  {_names[i],-36} {ms,8:F3}  {ms / total,6:P1}");
        }

        writer.WriteLine($"  {"sum of medians",-36} {total,8:F3}");
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
