using System.Security.Cryptography;
using Clickwise.Data.Pipeline;

namespace Clickwise.Tests.Data;

public sealed class SourceFileTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 1)]
    [InlineData(1 << 20)]
    [InlineData((3 << 20) + 17)]
    public void HashesAndSizesTheWholeFileAcrossReadBuffers(int length)
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] bytes = new byte[length];
            new Random(length).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);

            SourceFile source = SourceFile.Of("train", path, TestContext.Current.CancellationToken);

            Assert.Equal(length, source.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), source.Sha256);
            Assert.Equal(Path.GetFullPath(path), source.Path);
            Assert.Equal("train", source.Role);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StopsWhenCancelled()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[3 << 20]);
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();

            Assert.Throws<OperationCanceledException>(() => SourceFile.Of("train", path, cancelled.Token));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
