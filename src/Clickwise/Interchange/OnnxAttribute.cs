namespace Clickwise.Interchange;

/// <summary>One attribute of an ONNX node: an integer, a float or a list of integers (the kinds the exported graphs use).</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null)
{
    // AttributeProto.AttributeType
    private const int FloatType = 1;
    private const int IntType = 2;
    private const int IntsType = 7;

    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);

    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);

    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);

    /// <summary>Writes the AttributeProto fields: name 1, f 2, i 3, ints 8, type 20.</summary>
    public void WriteTo(ProtoWriter proto)
    {
        proto.String(1, Name);
        if (Float is { } f)
        {
            proto.Float(2, f);
            proto.Int(20, FloatType);
        }
        else if (Int is { } i)
        {
            proto.Int(3, i);
            proto.Int(20, IntType);
        }
        else
        {
            foreach (long value in Ints ?? [])
            {
                proto.Int(8, value);
            }

            proto.Int(20, IntsType);
        }
    }
}
