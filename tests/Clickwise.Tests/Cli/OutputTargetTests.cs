using System.Text.Json;
using Clickwise.IO;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Issue 17, classes 2 and 5: every <c>-o</c> goes through one output abstraction. A device or FIFO is streamed into and
/// kept; a write error there is exit 74; an output that is an input is refused (exit 2) before anything is read; a regular
/// file is replaced by rename, leaving no temp file.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OutputTargetTests : IClassFixture<OutputTargetTests.Files>, IDisposable
{
    private const int Usage = 2, IOError = 74;

    private readonly Files _files;
    private readonly TempDirectory _scratch = new();

    public OutputTargetTests(Files files) => _files = files;

    public void Dispose() => _scratch.Dispose();

    /// <summary>A small synthetic file, an LR model trained on it, and its predictions written to a regular file.</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            CliRunner.Expect(0, "synth", "--rows", "2000", "--seed", "17", "-o", DataPath);
            CliRunner.Expect(0, "train", "-d", DataPath, "--model", "lr", "-o", ModelPath, "--epochs", "1", "--quiet");
            CliRunner.Expect(0, "predict", "-m", ModelPath, "-d", DataPath, "-o", PredictionsPath);
        }

        internal TempDirectory Directory { get; } = new();

        public string DataPath => Directory.File("data.tsv");

        public string ModelPath => Directory.File("lr.cwm");

        public string PredictionsPath => Directory.File("predictions.txt");

        public void Dispose() => Directory.Dispose();
    }

    [Fact]
    public void PredictIntoACharacterDeviceKeepsTheDevice()
    {
        string device = SpecialFiles.CharacterDevice(_scratch.Path, "/dev/null", 1, 3);

        CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", _files.DataPath, "-o", device);

        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of(device).Kind);
        Assert.Empty(Directory.GetFiles(_scratch.Path, ".tmp-*"));
    }

    [Fact]
    public void TrainIntoACharacterDeviceKeepsTheDevice()
    {
        string device = SpecialFiles.CharacterDevice(_scratch.Path, "/dev/null", 1, 3);

        CliRunner.Expect(0, "train", "-d", _files.DataPath, "--model", "lr", "-o", device, "--epochs", "1", "--quiet",
            "--workdir", _scratch.File("run"));

        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of(device).Kind);
    }

    [Fact]
    public void TrainIntoACharacterDeviceWithoutWorkdirIsAUsageErrorNotADirectoryBesideTheDevice()
    {
        string device = SpecialFiles.CharacterDevice(_scratch.Path, "/dev/null", 1, 3);

        CliResult result = CliRunner.Expect(Usage, "train", "-d", _files.DataPath, "--model", "lr", "-o", device, "--epochs", "1", "--quiet");

        Assert.Contains($"-o {device} is not a file, so the run directory cannot be beside it: give --workdir DIR", result.Error);
        Assert.False(Directory.Exists(device + ".run"));
    }

    [Fact]
    public void PredictIntoADescriptorOnARegularFileAppendsToThatFile()
    {
        string path = _scratch.File("redirected.txt");
        File.WriteAllText(path, "before\n");
        using (var redirected = new FileStream(path, FileMode.Append, FileAccess.Write))
        {
            // What '-o /dev/stdout >> redirected.txt' names: the open descriptor, not a file to replace.
            string descriptor = $"/proc/self/fd/{redirected.SafeFileHandle.DangerousGetHandle()}";
            CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", _files.DataPath, "-o", descriptor);
        }

        Assert.Equal("before\n" + File.ReadAllText(_files.PredictionsPath), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_scratch.Path));
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("train")]
    [InlineData("synth")]
    public void AFullDeviceExits74(string verb)
    {
        string full = SpecialFiles.CharacterDevice(_scratch.Path, "/dev/full", 1, 7);
        string[] args = verb switch
        {
            "predict" => ["predict", "-m", _files.ModelPath, "-d", _files.DataPath, "-o", full],
            "train" => ["train", "-d", _files.DataPath, "--model", "lr", "-o", full, "--epochs", "1", "--quiet", "--workdir", _scratch.File("run")],
            _ => ["synth", "--rows", "100", "-o", full],
        };

        CliResult result = CliRunner.Expect(IOError, args);

        Assert.Contains("No space left on device", result.Error);
        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of(full).Kind);
    }

    [Fact]
    public async Task PredictIntoAFifoStreamsEveryLineToItsReader()
    {
        string fifo = SpecialFiles.Fifo(_scratch.Path, "predictions.fifo");
        // Opening a FIFO blocks until both ends are open, so the reader runs beside the in-process CLI.
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));

        CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", _files.DataPath, "-o", fifo);

        Assert.Equal(File.ReadAllText(_files.PredictionsPath), await reader);
        Assert.Equal(FileKind.Fifo, FileIdentity.Of(fifo).Kind);
    }

    [Theory]
    [InlineData("predict", "-m", "{model}", "-d", "{data}", "-o", "{data}")]
    [InlineData("predict", "-m", "{model}", "-d", "{data}", "-o", "{model}")]
    [InlineData("predict", "-m", "{model}", "-d", "{data}", "-o", "{dir}/../{dirname}/data.tsv")]
    [InlineData("train", "-d", "{data}", "--model", "lr", "-o", "{data}")]
    [InlineData("train", "-d", "{data}", "--model", "lr", "--valid", "{link}", "-o", "{data}")]
    [InlineData("train", "-d", "{data}", "--model", "lr", "--init", "{model}", "-o", "{model}")]
    [InlineData("compress", "-m", "{model}", "-d", "{dir}", "-o", "{model}")]
    public void AnOutputThatIsAnInputIsRefusedAndTheInputKept(params string[] args)
    {
        string link = _scratch.File("same-data.tsv");
        File.CreateSymbolicLink(link, _files.DataPath); // identity is the file a symlink names
        byte[] data = File.ReadAllBytes(_files.DataPath), model = File.ReadAllBytes(_files.ModelPath);
        string[] expanded = [.. args.Select(a => a
            .Replace("{model}", _files.ModelPath, StringComparison.Ordinal)
            .Replace("{data}", _files.DataPath, StringComparison.Ordinal)
            .Replace("{link}", link, StringComparison.Ordinal)
            .Replace("{dirname}", Path.GetFileName(_files.Directory.Path), StringComparison.Ordinal)
            .Replace("{dir}", _files.Directory.Path, StringComparison.Ordinal))];

        CliResult result = CliRunner.Expect(Usage, expanded);

        Assert.Contains("writing it would destroy the input", result.Error);
        Assert.Contains(expanded[^1], result.Error);
        Assert.Equal(data, File.ReadAllBytes(_files.DataPath));
        Assert.Equal(model, File.ReadAllBytes(_files.ModelPath));
    }

    [Fact]
    public void TrainRefusesAnOutputThatIsTheDataItsConfigNames()
    {
        string config = _scratch.File("run.json");
        File.WriteAllText(config, $$$"""{"model": {"name": "lr"}, "data": {"train": {{{JsonSerializer.Serialize(_files.DataPath)}}}}}""");
        byte[] data = File.ReadAllBytes(_files.DataPath);

        CliResult result = CliRunner.Expect(Usage, "train", "--config", config, "-o", _files.DataPath, "--epochs", "1", "--quiet");

        Assert.Contains($"the output {_files.DataPath} is the input -d/--data (from --config) {_files.DataPath}", result.Error);
        Assert.Equal(data, File.ReadAllBytes(_files.DataPath));
    }

    [Fact]
    public void PredictRefusesAnOutputInsideThePreparedDirectoryItReads()
    {
        string prepared = _scratch.File("prepared");
        CliRunner.Expect(0, "prepare", "-d", _files.DataPath, "-o", prepared);
        CliRunner.Expect(0, "train", "-d", prepared, "--model", "lr", "-o", _scratch.File("m.cwm"), "--epochs", "1", "--quiet");
        string map = Directory.GetFiles(prepared, "*.json", SearchOption.AllDirectories)[0];
        byte[] before = File.ReadAllBytes(map);

        CliResult result = CliRunner.Expect(Usage, "predict", "-m", _scratch.File("m.cwm"), "-d", prepared, "-o", map);

        Assert.Contains($"the output {map} is the input -d/--data {map}", result.Error);
        Assert.Equal(before, File.ReadAllBytes(map));
    }

    [Fact]
    public void SynthReplacesItsOutputByRenameNeverInPlace()
    {
        string path = _scratch.File("synth.tsv");
        File.WriteAllText(path, "old\n");
        string hardLink = _scratch.File("old.tsv");
        SpecialFiles.HardLink(path, hardLink);

        CliRunner.Expect(0, "synth", "--rows", "100", "-o", path);

        // Written in place, the file would be truncated and its other name would show the new rows too.
        Assert.Equal("old\n", File.ReadAllText(hardLink));
        Assert.Equal(100, File.ReadAllLines(path).Length); // Criteo TSV has no header
        Assert.False(FileIdentity.Of(path).IsSameFileAs(FileIdentity.Of(hardLink)));
        Assert.Empty(Directory.GetFiles(_scratch.Path, ".tmp-*"));
    }

    [Fact]
    public void PredictRemovesTheTempOfADeadPredictAndLeavesNoneOfItsOwn()
    {
        string path = _scratch.File("p.txt");
        string stale = _scratch.File(AtomicFile.TempPrefix("p.txt") + "2147483646-deadbeef"); // no process has that id
        File.WriteAllText(stale, "0.5\n");

        CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", _files.DataPath, "-o", path);

        Assert.Equal([path], Directory.GetFiles(_scratch.Path));
        Assert.Equal(File.ReadAllText(_files.PredictionsPath), File.ReadAllText(path));
    }
}
