namespace Clickwise.IO;

/// <summary>Layout constants of the model file (docs/model-format.md describes every byte).</summary>
public static class ModelFileFormat
{
    /// <summary>"CLKW" in ASCII, the first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "CLKW"u8;

    /// <summary>
    /// The version this build writes and the newest it reads. Version 2 changed only the model config in the header: each
    /// model writes its own settings (format 1 wrote every model's); a version-1 config is migrated when it is read.
    /// </summary>
    public const uint CurrentVersion = 2;

    /// <summary>Magic (4) + version (4) + header length (4).</summary>
    public const int PreambleLength = 12;

    /// <summary>Tensors start at multiples of this (relative to the file start), so a mapped file is SIMD-aligned.</summary>
    public const int Alignment = 64;

    /// <summary>SHA-256 of every byte before it.</summary>
    public const int TrailerLength = 32;

    public static long AlignUp(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    internal static string DTypeName(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "f32",
        TensorDType.Int32 => "i32",
        _ => "i64",
    };

    internal static TensorDType? ParseDType(string? name) => name switch
    {
        "f32" => TensorDType.Float32,
        "i32" => TensorDType.Int32,
        "i64" => TensorDType.Int64,
        _ => null,
    };

    internal static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Clickwise model files are little-endian; big-endian hosts are not supported.");
        }
    }
}
