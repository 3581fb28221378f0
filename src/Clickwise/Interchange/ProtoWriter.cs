using System.Buffers.Binary;
using System.Text;

namespace Clickwise.Interchange;

/// <summary>
/// The protobuf wire format, as much of it as an ONNX model needs: varints, 32-bit floats and length-delimited fields
/// (strings, bytes, nested messages). A nested message is written into its own writer first, so its length is known;
/// repeated scalars are written unpacked, which every protobuf parser accepts.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintType = 0;
    private const int LengthDelimitedType = 2;
    private const int Fixed32Type = 5;

    private readonly MemoryStream _buffer = new();

    public void Int(int field, long value)
    {
        Tag(field, VarintType);
        Varint((ulong)value);
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Message(int field, ProtoWriter message) => Bytes(field, message.Written);

    public void Message(int field, Action<ProtoWriter> write)
    {
        var message = new ProtoWriter();
        write(message);
        Message(field, message);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>Appends the fields another writer holds, as if written here.</summary>
    public void Append(ProtoWriter fields) => _buffer.Write(fields.Written);

    public byte[] ToArray() => _buffer.ToArray();

    private ReadOnlySpan<byte> Written => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
