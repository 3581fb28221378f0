using Clickwise.Data.Readers;

namespace Clickwise.Cli;

/// <summary>
/// A progress line on stderr, never stdout (which may carry predictions or a table): redrawn in place twice a second when
/// stderr is a terminal, a plain line every ten seconds when it is a log or a pipe. The line comes from a callback polled
/// on a timer, so the reading loop pays nothing but its counters.
/// </summary>
internal sealed class StderrProgress : IDisposable
{
    private readonly Func<string?> _line;
    private readonly TextWriter _output;
    private readonly bool _inPlace;
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private int _drawn;
    private bool _stopped;

    internal StderrProgress(Func<string?> line, TextWriter output, bool inPlace, TimeSpan interval)
    {
        _line = line;
        _output = output;
        _inPlace = inPlace;
        _timer = new Timer(_ => Draw(), null, interval, interval);
    }

    /// <summary>Shows <paramref name="line"/> (null: nothing yet) until disposed; null when <paramref name="quiet"/>.</summary>
    public static StderrProgress? Start(Func<string?> line, bool quiet) => quiet ? null
        : Console.IsErrorRedirected
            ? new StderrProgress(line, Console.Error, inPlace: false, TimeSpan.FromSeconds(10))
            : new StderrProgress(line, Console.Error, inPlace: true, TimeSpan.FromMilliseconds(500));

    /// <summary>Shows the rows, rows/s and ETA of the passes over <paramref name="progress"/>'s input.</summary>
    public static StderrProgress? ForInput(string label, InputProgress progress, bool quiet) => Start(InputLine(label, progress), quiet);

    /// <summary>The line of the current pass over <paramref name="progress"/>'s input (each pass timed on its own); null before the first.</summary>
    public static Func<string?> InputLine(string label, InputProgress progress) => () => progress.Pass switch
    {
        0 => null,
        1 => ProgressLine.Rows(label, progress.Rows, progress.PassElapsed, progress.Fraction),
        int pass => ProgressLine.Rows($"{label} (pass {pass})", progress.Rows, progress.PassElapsed, progress.Fraction),
    };

    /// <summary>Writes a line of its own above the progress line (which a terminal redraws after it).</summary>
    public void WriteLine(string text)
    {
        lock (_gate)
        {
            Clear();
            _output.WriteLine(text);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Clear();
        }

        _timer.Dispose();
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_stopped || _line() is not { } line)
            {
                return;
            }

            if (_inPlace)
            {
                _output.Write("\r" + line.PadRight(_drawn));
                _drawn = line.Length;
            }
            else
            {
                _output.WriteLine(line);
            }

            _output.Flush();
        }
    }

    private void Clear()
    {
        if (_inPlace && _drawn > 0)
        {
            _output.Write("\r" + new string(' ', _drawn) + "\r");
            _drawn = 0;
        }
    }
}
