using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Clickwise.Serving;

/// <summary>
/// The version of each repository model that serves, swapped atomically: a newer (or newly pinned) version is loaded
/// beside the old, and replaces it only once it loaded, compiled, warmed up and passed its self-test. A version that
/// fails is refused, logged and remembered (not retried until its file changes or a load request names it), and the
/// old version keeps serving.
/// </summary>
internal sealed class ModelSlots
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly ServeOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ILogger<ModelSlots> _log;
    private readonly TaskCompletionSource _firstScan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public ModelSlots(ServeOptions options, ServerMetrics metrics, ILogger<ModelSlots> log)
    {
        _options = options;
        _metrics = metrics;
        _log = log;
        Repository = new ModelRepository(options.ModelsDirectory);
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            foreach ((string name, Slot slot) in _slots)
            {
                metrics.QueueDepth.WithLabels(name).Set(slot.Current?.Batcher.Depth ?? 0);
                metrics.Arriving.WithLabels(name).Set(slot.Current?.Batcher.Arriving ?? 0);
            }
        });
    }

    public ModelRepository Repository { get; }

    /// <summary>Completes after the first scan of the repository tried every model.</summary>
    public Task FirstScan => _firstScan.Task;

    /// <summary>Ready: the first scan is done, every model has a version serving, and no shutdown has begun.</summary>
    public bool Ready => FirstScan.IsCompleted && !_stopping && _slots.Values.All(s => s.Current is not null);

    /// <summary>Readiness turns false for good (SIGTERM): load balancers stop sending while in-flight requests finish.</summary>
    public void BeginShutdown() => _stopping = true;

    /// <summary>Whether shutdown has begun: responses then close their connections.</summary>
    public bool Stopping => _stopping;

    public IReadOnlyList<(string Name, ServedModel? Current, string? Reason)> Index() =>
        [.. _slots.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value.Current, s.Value.Reason))];

    /// <summary>
    /// Holds the version of <paramref name="name"/> that serves now (release it when the request ends); a request naming
    /// <paramref name="version"/> gets that version only while it serves.
    /// </summary>
    public ServedModel Acquire(string name, string? version)
    {
        if (!_slots.TryGetValue(name, out Slot? slot))
        {
            throw RequestException.NotFound($"unknown model '{name}'");
        }

        while (true)
        {
            ServedModel current = Volatile.Read(ref slot.Current) ?? throw new RequestException(503, $"model '{name}' has no version loaded: {slot.Reason ?? "loading"}");
            if (version is not null && ModelRepository.ParseVersion(version) != current.File.Version)
            {
                throw RequestException.NotFound($"model '{name}' version {version} is not loaded; version {current.Version} serves");
            }

            if (current.TryAcquire())
            {
                return current;
            }
        }
    }

    /// <summary>Scans the repository: new models get a slot, each slot the version it should serve.</summary>
    public void ScanAll()
    {
        try
        {
            foreach (string name in Repository.Names())
            {
                Refresh(name, force: false);
            }
        }
        catch (IOException e)
        {
            _log.LogError("model repository {Root} cannot be read: {Reason}", Repository.Root, e.Message);
        }
        finally
        {
            _firstScan.TrySetResult();
        }
    }

    /// <summary>
    /// Loads the version <paramref name="name"/> should serve if it is not serving; <paramref name="force"/> retries a version
    /// refused before. Returns the version serving afterwards and, when the wanted one was refused, why.
    /// </summary>
    public (ServedModel? Serving, string? Error) Refresh(string name, bool force)
    {
        if (!Repository.Has(name))
        {
            throw RequestException.NotFound($"no model '{name}' in the repository {Repository.Root}");
        }

        Slot slot = _slots.GetOrAdd(name, _ => new Slot());
        lock (slot)
        {
            VersionFile? wanted;
            try
            {
                wanted = Repository.Wanted(name);
            }
            catch (InvalidDataException e)
            {
                return Refuse(slot, name, null, e.Message);
            }

            if (wanted is null)
            {
                string none = $"no version directory with a {ModelRepository.ModelFileName}";
                slot.Reason = slot.Current is null ? none : null;
                return (slot.Current, slot.Reason);
            }

            if (wanted == slot.Current?.File || (!force && wanted == slot.Refused))
            {
                return (slot.Current, wanted == slot.Refused ? slot.Reason : null);
            }

            if (TryLoad(slot, name, wanted) is { } loaded)
            {
                return (loaded, null);
            }

            // Nothing serves (a start, or a pin to a broken version was lifted): the newest older version that loads does.
            string reason = slot.Reason!;
            VersionFile refused = wanted;
            foreach (VersionFile older in slot.Current is null ? Repository.OlderThan(name, wanted.Version) : [])
            {
                if (TryLoad(slot, name, older) is not null)
                {
                    break;
                }
            }

            slot.Refused = refused;
            slot.Reason = reason;
            return (slot.Current, reason);
        }
    }

    /// <summary>Loads <paramref name="file"/> and swaps it in; null (refused and logged) when any load step fails.</summary>
    private ServedModel? TryLoad(Slot slot, string name, VersionFile file)
    {
        ServedModel loaded;
        try
        {
            loaded = ModelLoader.Load(file, _options, rows => _metrics.BatchRows.WithLabels(name).Observe(rows));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Refuse(slot, name, file, e.Message);
            return null;
        }

        ServedModel? old = Interlocked.Exchange(ref slot.Current, loaded);
        slot.Refused = null;
        slot.Reason = null;
        _metrics.ModelVersion.WithLabels(name).Set(file.Version);
        _log.LogInformation("model {Model} version {Version} serves (loaded, checksum verified, compiled, warmed up, self-tested){Previous}",
            name, file.Version, old is null ? "" : $"; version {old.Version} drains and retires");
        old?.Release();
        return loaded;
    }

    /// <summary>Stops every batcher once its queued requests are answered.</summary>
    public Task DrainAsync()
    {
        var draining = new List<Task>();
        foreach (Slot slot in _slots.Values)
        {
            if (Interlocked.Exchange(ref slot.Current, null) is { } model)
            {
                model.Release();
                draining.Add(model.Drained);
            }
        }

        return Task.WhenAll(draining);
    }

    private (ServedModel?, string?) Refuse(Slot slot, string name, VersionFile? wanted, string reason)
    {
        slot.Refused = wanted;
        slot.Reason = reason;
        _metrics.LoadFailures.WithLabels(name).Inc();
        _log.LogError("model {Model} version {Version} refused: {Reason}; {Serving}", name, wanted?.Version, reason,
            slot.Current is null ? "no version serves yet" : $"version {slot.Current.Version} keeps serving");
        return (slot.Current, reason);
    }

    private sealed class Slot
    {
        public ServedModel? Current;
        public VersionFile? Refused;
        public string? Reason;
    }
}
