using Clickwise.Data.Readers;
using Clickwise.Features;

namespace Clickwise.Serving;

/// <summary>
/// One loaded, warmed and self-tested model version: its encoder, compiled plan and batcher, immutable while it
/// serves. Requests hold it (<see cref="TryAcquire"/>) from parsing to answer, so a version swapped out finishes
/// every request that chose it before its batcher drains: a swap under load refuses nothing.
/// </summary>
internal sealed class ServedModel
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holders = 1; // the slot's own hold, released when a newer version replaces this one

    public ServedModel(VersionFile file, string architecture, FeatureMap map, RowEncoder encoder, MicroBatcher batcher)
    {
        File = file;
        Encoder = encoder;
        Batcher = batcher;
        Metadata = Describe(file, architecture, map, encoder);
    }

    public VersionFile File { get; }

    public string Name => File.Name;

    public string Version => File.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public RowEncoder Encoder { get; }

    public MicroBatcher Batcher { get; }

    public ModelMetadata Metadata { get; }

    /// <summary>Holds this version for one request; false once it was retired and its last request ended.</summary>
    public bool TryAcquire()
    {
        int holders = Volatile.Read(ref _holders);
        while (holders > 0)
        {
            int seen = Interlocked.CompareExchange(ref _holders, holders + 1, holders);
            if (seen == holders)
            {
                return true;
            }

            holders = seen;
        }

        return false;
    }

    /// <summary>Ends a hold; the last one (requests and the slot's) drains the batcher.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            Batcher.DrainAsync().ContinueWith(_ => _drained.TrySetResult(), TaskScheduler.Default);
        }
    }

    /// <summary>Completes once this version was retired and answered its last request.</summary>
    public Task Drained => _drained.Task;

    private static ModelMetadata Describe(VersionFile file, string architecture, FeatureMap map, RowEncoder encoder)
    {
        int f = map.FieldCount;
        LineShape? shape = encoder.Shape;
        string[] columns = shape is null ? [] : [.. shape.ColumnNames ?? shape.FeatureColumns];
        TensorMetadata[] inputs =
        [
            new("ids", "INT64", [-1, f]),
            new("values", "FP32", [-1, f]),
            new("raw", "BYTES", [-1]),
            .. columns.Select(c => new TensorMetadata(c, "BYTES", [-1])),
        ];
        FieldDetails[] fields = [.. map.Fields.Select(field => new FieldDetails(field.Name, field.Spec.Kind == Data.FieldKind.Numeric ? "numeric" : "categorical",
            field.Offset, field.Size))];
        return new ModelMetadata(file.Name, [file.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)], "clickwise", inputs,
            [new("probability", "FP32", [-1, 1]), new("logit", "FP32", [-1, 1])],
            new ModelDetails(architecture, DataFormats.Name(encoder.Format), shape?.HasHeader ?? false, columns, fields));
    }
}
