using System.Runtime.InteropServices;

namespace Clickwise.IO;

/// <summary>
/// One named tensor of a model file. For writing, the data may alias live arrays (no copy); tensors returned by
/// <see cref="ModelFileReader"/> own fresh arrays. <see cref="Role"/> is free text to this layer (parameter roles,
/// "optimizer", "best").
/// </summary>
public sealed class ModelTensor
{
    private readonly ReadOnlyMemory<float> _float32;
    private readonly ReadOnlyMemory<int> _int32;
    private readonly ReadOnlyMemory<long> _int64;

    private ModelTensor(string name, string role, int[] shape, TensorDType dtype, long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long product = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d);
            product *= d;
        }

        if (product != length)
        {
            throw new ArgumentException($"tensor '{name}' has {length} elements but shape [{string.Join(", ", shape)}] needs {product}.");
        }

        Name = name;
        Role = role;
        Shape = shape;
        DType = dtype;
        ElementCount = length;
    }

    private ModelTensor(string name, string role, int[] shape, ReadOnlyMemory<float> data)
        : this(name, role, shape, TensorDType.Float32, data.Length) => _float32 = data;

    private ModelTensor(string name, string role, int[] shape, ReadOnlyMemory<int> data)
        : this(name, role, shape, TensorDType.Int32, data.Length) => _int32 = data;

    private ModelTensor(string name, string role, int[] shape, ReadOnlyMemory<long> data)
        : this(name, role, shape, TensorDType.Int64, data.Length) => _int64 = data;

    public string Name { get; }

    public string Role { get; }

    public int[] Shape { get; }

    public TensorDType DType { get; }

    public long ElementCount { get; }

    public long ByteLength => ElementCount * ElementSize(DType);

    public ReadOnlyMemory<float> Float32Data => DType == TensorDType.Float32 ? _float32 : throw WrongType(TensorDType.Float32);

    public ReadOnlyMemory<int> Int32Data => DType == TensorDType.Int32 ? _int32 : throw WrongType(TensorDType.Int32);

    public ReadOnlyMemory<long> Int64Data => DType == TensorDType.Int64 ? _int64 : throw WrongType(TensorDType.Int64);

    /// <summary>The raw little-endian bytes (the engine only runs on little-endian hosts).</summary>
    public ReadOnlySpan<byte> Bytes => DType switch
    {
        TensorDType.Float32 => MemoryMarshal.AsBytes(_float32.Span),
        TensorDType.Int32 => MemoryMarshal.AsBytes(_int32.Span),
        _ => MemoryMarshal.AsBytes(_int64.Span),
    };

    public static ModelTensor Float32(string name, string role, int[] shape, ReadOnlyMemory<float> data) => new(name, role, shape, data);

    public static ModelTensor Int32(string name, string role, int[] shape, ReadOnlyMemory<int> data) => new(name, role, shape, data);

    public static ModelTensor Int64(string name, string role, int[] shape, ReadOnlyMemory<long> data) => new(name, role, shape, data);

    public static int ElementSize(TensorDType dtype) => dtype == TensorDType.Int64 ? 8 : 4;

    private InvalidOperationException WrongType(TensorDType asked) => new($"tensor '{Name}' is {DType}, not {asked}");
}
