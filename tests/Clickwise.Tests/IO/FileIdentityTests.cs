using Clickwise.IO;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.IO;

public sealed class FileIdentityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void KindsOfWhatAPathNames()
    {
        string file = _directory.File("a.txt");
        File.WriteAllText(file, "a");

        Assert.Equal(FileKind.Regular, FileIdentity.Of(file).Kind);
        Assert.Equal(FileKind.Directory, FileIdentity.Of(_directory.Path).Kind);
        Assert.Equal(FileKind.Missing, FileIdentity.Of(_directory.File("none")).Kind);
        Assert.Equal(FileKind.Missing, FileIdentity.Of(Path.Combine(file, "below-a-file")).Kind);
    }

    [Fact]
    public void HardLinksSymlinksAndDotDotNameOneFile()
    {
        string file = _directory.File("a.txt");
        File.WriteAllText(file, "a");
        string hard = _directory.File("hard.txt"), soft = _directory.File("soft.txt"), other = _directory.File("b.txt");
        Clickwise.Tests.Cli.SpecialFiles.HardLink(file, hard);
        File.CreateSymbolicLink(soft, file);
        File.WriteAllText(other, "a");
        FileIdentity a = FileIdentity.Of(file);

        Assert.True(a.IsSameFileAs(FileIdentity.Of(hard)));
        Assert.True(a.IsSameFileAs(FileIdentity.Of(soft)));
        Assert.True(a.IsSameFileAs(FileIdentity.Of(Path.Combine(_directory.Path, "..", Path.GetFileName(_directory.Path), "a.txt"))));
        Assert.False(a.IsSameFileAs(FileIdentity.Of(other)));
        Assert.False(FileIdentity.Of(_directory.File("none")).IsSameFileAs(FileIdentity.Of(_directory.File("none"))));
    }
}
