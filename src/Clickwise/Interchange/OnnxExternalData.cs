namespace Clickwise.Interchange;

/// <summary>
/// The file beside an ONNX model that holds its large initializers, for models past protobuf's 2 GiB message limit: each
/// tensor's bytes at a page-aligned offset, and in its TensorProto the location (the file's name, relative to the model),
/// offset and length with data_location EXTERNAL, as ONNX Runtime reads them. Tensors under <see cref="MinTensorBytes"/>
/// (shapes, axes, biases) stay inline, as the onnx package's converter leaves them.
/// </summary>
internal sealed class OnnxExternalData(Stream stream, string location)
{
    public const int MinTensorBytes = 1024;

    // Page-aligned offsets let a runtime map each tensor straight from the file.
    private const int Alignment = 4096;

    // TensorProto: external_data 13 (StringStringEntryProto: key 1, value 2), data_location 14 (EXTERNAL = 1).
    private const int ExternalDataField = 13;
    private const int DataLocationField = 14;
    private const int External = 1;

    // Counted here rather than read from the stream, which may not seek (a FIFO).
    private long _length;

    /// <summary>Whether a tensor of <paramref name="bytes"/> goes to the file rather than inline.</summary>
    public static bool Holds(int bytes) => bytes >= MinTensorBytes;

    /// <summary>Appends <paramref name="data"/> to the file and writes the TensorProto fields that point at it.</summary>
    public void Write(ProtoWriter tensor, ReadOnlySpan<byte> data)
    {
        int padding = (int)((Alignment - (_length % Alignment)) % Alignment);
        stream.Write(new byte[padding]);
        long offset = _length + padding;
        stream.Write(data);
        _length = offset + data.Length;
        Entry(tensor, "location", location);
        Entry(tensor, "offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Entry(tensor, "length", data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        tensor.Int(DataLocationField, External);
    }

    private static void Entry(ProtoWriter tensor, string key, string value) => tensor.Message(ExternalDataField, entry =>
    {
        entry.String(1, key);
        entry.String(2, value);
    });
}
