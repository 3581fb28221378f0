using Clickwise.IO;

namespace Clickwise.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clickwise-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ModelFileContent Content(float value) => new()
    {
        Kind = ModelFileKind.Model,
        ConfigJson = "{}",
        Tensors = [ModelTensor.Float32("w", "DenseWeight", [4096], Enumerable.Repeat(value, 4096).ToArray())],
    };

    [Fact]
    public void ReplacesTheTargetAndLeavesNoTempFile()
    {
        string path = Path.Combine(_directory, "model.clkw");
        ModelFileWriter.Write(path, Content(1f));
        ModelFileWriter.Write(path, Content(2f));

        Assert.Equal([path], Directory.GetFiles(_directory));
        Assert.Equal(2f, ModelFileReader.Read(path).Tensor("w").Float32Data.Span[4095]);
    }

    [Fact]
    public void WriteThatThrowsMidwayKeepsTheOldFileAndRemovesItsTemp()
    {
        string path = Path.Combine(_directory, "model.clkw");
        ModelFileWriter.Write(path, Content(1f));
        byte[] before = File.ReadAllBytes(path);

        // The seam: a stream that fails after 5,000 bytes, i.e. inside the tensor data.
        var e = Assert.Throws<IOException>(() =>
            AtomicFile.Write(path, stream => ModelFileWriter.WriteTo(new FailingStream(stream, 5000), Content(2f))));
        Assert.Equal("injected failure", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void FailuresAtFiftyRandomOffsetsNeverDamageTheLoadableOldFile()
    {
        string path = Path.Combine(_directory, "model.clkw");
        ModelFileWriter.Write(path, Content(1f));
        byte[] before = File.ReadAllBytes(path);
        var random = new Random(4);
        for (int trial = 0; trial < 50; trial++)
        {
            long failAfter = random.NextInt64(before.Length);
            Assert.Throws<IOException>(() =>
                AtomicFile.Write(path, stream => ModelFileWriter.WriteTo(new FailingStream(stream, failAfter), Content(2f))));
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        Assert.Equal(1f, ModelFileReader.Read(path).Tensor("w").Float32Data.Span[0]);
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void StaleTempOfADeadWriterIsCleanedOnTheNextWrite()
    {
        string path = Path.Combine(_directory, "model.clkw");
        string stale = Path.Combine(_directory, AtomicFile.TempPrefix("model.clkw") + "2147483646-deadbeef");
        string live = Path.Combine(_directory, AtomicFile.TempPrefix("model.clkw") + Environment.ProcessId + "-0000beef");
        string otherTarget = Path.Combine(_directory, AtomicFile.TempPrefix("other.clkw") + "2147483646-deadbeef");
        File.WriteAllText(stale, "partial");
        File.WriteAllText(live, "in progress");
        File.WriteAllText(otherTarget, "partial");

        ModelFileWriter.Write(path, Content(1f));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(otherTarget));
    }

    [Fact]
    public void DirectoryFsyncOfAMissingDirectoryFails()
    {
        AtomicFile.FsyncDirectory(_directory);
        if (OperatingSystem.IsLinux())
        {
            Assert.Throws<IOException>(() => AtomicFile.FsyncDirectory(Path.Combine(_directory, "missing")));
        }
    }

    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > failAfter)
            {
                throw new IOException("injected failure");
            }

            inner.Write(buffer);
            _written += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
