namespace Clickwise.Serving;

/// <summary>How <c>clickwise serve</c> runs: where the model repository is, the port, and the limits that keep it responsive.</summary>
public sealed record ServeOptions
{
    /// <summary>The model repository: <c>DIR/&lt;name&gt;/&lt;version&gt;/model.cwm</c>.</summary>
    public required string ModelsDirectory { get; init; }

    public int Port { get; init; } = 8080;

    /// <summary>Batch workers per model, each running one compiled-plan call at a time on one core.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Rows one coalesced compiled-plan call takes at most.</summary>
    public int MaxBatchRows { get; init; } = 256;

    /// <summary>How long a worker holding a request waits for others that are being parsed (Triton's max queue delay).</summary>
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMicroseconds(200);

    /// <summary>Requests a model holds at most, queued or being scored; one more is refused with 503 at once instead of waiting.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Rows one request may carry.</summary>
    public int MaxRequestRows { get; init; } = 10_000;

    /// <summary>A request not answered within this is answered 504 and its rows are dropped if still queued.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Request bodies above this are refused with 413.</summary>
    public long MaxBodyBytes { get; init; } = 4 << 20;

    /// <summary>How often the repository is scanned for new versions; zero: only on SIGHUP or a load request.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After SIGTERM: how long the server keeps answering with readiness 503 and <c>Connection: close</c> before it stops
    /// accepting, so load balancers and keep-alive clients move away instead of sending into a closing connection.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After SIGTERM and the drain delay: how long in-flight requests get to finish before the process exits.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the limits, naming the first that is out of range.</summary>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, $"port must be within 0..65535, got {Port}");
        Require(Threads >= 1, $"threads must be at least 1, got {Threads}");
        Require(MaxBatchRows >= 1, $"max batch rows must be at least 1, got {MaxBatchRows}");
        Require(QueueCapacity >= 1, $"queue capacity must be at least 1, got {QueueCapacity}");
        Require(MaxRequestRows >= 1, $"max request rows must be at least 1, got {MaxRequestRows}");
        Require(BatchWait >= TimeSpan.Zero && RequestTimeout > TimeSpan.Zero && PollInterval >= TimeSpan.Zero && ShutdownGrace >= TimeSpan.Zero && DrainDelay >= TimeSpan.Zero,
            "waits and timeouts must not be negative");
        Require(MaxBodyBytes >= 1024, $"max body bytes must be at least 1024, got {MaxBodyBytes}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
