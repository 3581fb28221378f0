using Prometheus;

namespace Clickwise.Serving;

/// <summary>The Prometheus series <c>/metrics</c> exposes, in a registry of this server's own (several servers share a test process).</summary>
internal sealed class ServerMetrics
{
    public ServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("clickwise_requests_total", "HTTP requests answered, by route and status code.", ["route", "code"]);
        Latency = factory.CreateHistogram("clickwise_request_duration_seconds", "Time from request start to response, by route.", ["route"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(25e-6, 2, 18) });
        BatchRows = factory.CreateHistogram("clickwise_batch_rows", "Rows per compiled-plan call (micro-batching coalesces requests).", ["model"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 15) });
        QueueDepth = factory.CreateGauge("clickwise_queue_depth", "Requests queued or being scored, per model.", ["model"]);
        Arriving = factory.CreateGauge("clickwise_requests_arriving", "Requests being read and parsed, per model.", ["model"]);
        ModelVersion = factory.CreateGauge("clickwise_model_version", "The version of each model that serves.", ["model"]);
        LoadFailures = factory.CreateCounter("clickwise_model_load_failures_total", "Versions refused: unreadable, bad checksum, failed compile or self-test.", ["model"]);
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram Latency { get; }

    public Histogram BatchRows { get; }

    public Gauge QueueDepth { get; }

    public Gauge Arriving { get; }

    public Gauge ModelVersion { get; }

    public Counter LoadFailures { get; }
}
