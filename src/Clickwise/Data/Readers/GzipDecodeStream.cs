using System.Runtime.InteropServices;

namespace Clickwise.Data.Readers;

/// <summary>
/// Decodes gzip (one or more concatenated members) through the zlib that ships inside the .NET runtime.
/// </summary>
/// <remarks>
/// Why not <see cref="System.IO.Compression.GZipStream"/>: it reports a truncated file as a normal end of data
/// (checked on .NET 10), so a half-copied <c>day_0.gz</c> would silently train on part of a day. Driving zlib
/// directly tells a member that reached its trailer (CRC and size checked by zlib) from input that stopped early.
/// </remarks>
internal sealed unsafe partial class GzipDecodeStream : Stream
{
    private const string NativeLibrary = "libSystem.IO.Compression.Native";
    private const int GzipWindowBits = 16 + 15;
    private const int ZOk = 0;
    private const int ZStreamEnd = 1;
    private const int ZBufError = -5;
    private const int InputSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly string _source;
    private readonly ZStream* _z;
    private readonly byte* _input;
    private long _compressedRead;
    private bool _inflaterLive;
    private bool _memberDone;
    private bool _inputEnded;
    private bool _finished;
    private bool _disposed;

    private GzipDecodeStream(Stream inner, string source)
    {
        _inner = inner;
        _source = source;
        _z = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        _input = (byte*)NativeMemory.Alloc(InputSize);
        StartMember();
    }

    /// <summary>A decoding stream over <paramref name="inner"/>; falls back to GZipStream (no truncation check) without the native zlib.</summary>
    public static Stream Create(Stream inner, string source)
    {
        try
        {
            return new GzipDecodeStream(inner, source);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new System.IO.Compression.GZipStream(inner, System.IO.Compression.CompressionMode.Decompress);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_finished || buffer.IsEmpty)
        {
            return 0;
        }

        fixed (byte* output = buffer)
        {
            while (true)
            {
                if (_z->AvailIn == 0 && !_inputEnded)
                {
                    int n = _inner.Read(new Span<byte>(_input, InputSize));
                    if (n == 0)
                    {
                        _inputEnded = true;
                    }
                    else
                    {
                        _z->NextIn = _input;
                        _z->AvailIn = (uint)n;
                        _compressedRead += n;
                    }
                }

                if (_z->AvailIn == 0 && _inputEnded)
                {
                    if (_memberDone)
                    {
                        _finished = true;
                        return 0;
                    }

                    throw new DataFormatException(_source, 0, $"truncated gzip input (ends at compressed byte {_compressedRead})");
                }

                if (_memberDone)
                {
                    // Another member follows (gzip -c a >> b makes these); anything else after a trailer is garbage.
                    if (_z->NextIn[0] != 0x1f)
                    {
                        throw new DataFormatException(_source, 0, $"unexpected data after gzip member at compressed byte {Offset}");
                    }

                    StartMember();
                }

                _z->NextOut = output;
                _z->AvailOut = (uint)buffer.Length;
                int rc = CompressionNative_Inflate(_z, 0);
                int produced = buffer.Length - (int)_z->AvailOut;
                if (rc == ZStreamEnd)
                {
                    _memberDone = true;
                }
                else if (rc != ZOk && rc != ZBufError)
                {
                    throw new DataFormatException(_source, 0, $"corrupt gzip data at compressed byte {Offset} (zlib error {rc})");
                }

                if (produced > 0)
                {
                    return produced;
                }
            }
        }
    }

    private long Offset => _compressedRead - _z->AvailIn;

    private void StartMember()
    {
        byte* nextIn = _z->NextIn;
        uint availIn = _z->AvailIn;
        EndInflater();
        _z->NextIn = nextIn;
        _z->AvailIn = availIn;
        int rc = CompressionNative_InflateInit2_(_z, GzipWindowBits);
        if (rc != ZOk)
        {
            throw new IOException($"zlib inflateInit2 failed ({rc})");
        }

        _inflaterLive = true;
        _memberDone = false;
    }

    private void EndInflater()
    {
        if (_inflaterLive)
        {
            CompressionNative_InflateEnd(_z);
            _inflaterLive = false;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            EndInflater();
            NativeMemory.Free(_z);
            NativeMemory.Free(_input);
            if (disposing)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The runtime's PAL_ZStream (src/native/libs/System.IO.Compression.Native/pal_zlib.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public nint Message;
        public nint InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [LibraryImport(NativeLibrary)]
    private static partial int CompressionNative_InflateInit2_(ZStream* stream, int windowBits);

    [LibraryImport(NativeLibrary)]
    private static partial int CompressionNative_Inflate(ZStream* stream, int flush);

    [LibraryImport(NativeLibrary)]
    private static partial int CompressionNative_InflateEnd(ZStream* stream);
}
