using Clickwise.Runs;
using Clickwise.Tests.Cli;

namespace Clickwise.Tests.Reliability;

/// <summary>Whether an output left by a faulted run is whole: null when it is, else what is wrong.</summary>
internal static class Artifacts
{
    /// <summary>A model file that loads (its checksum, config and tensors agree).</summary>
    public static string? ModelLoads(string file)
    {
        try
        {
            _ = ModelArtifact.Load(file);
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or Clickwise.IO.ModelFormatException)
        {
            return $"{file} does not load: {e.Message}";
        }
    }

    /// <summary>A prepared directory a model trains on.</summary>
    public static string? PreparedTrains(string prepared)
    {
        CliResult result = CliRunner.Run("train", "-d", prepared, "--model", "lr", "--epochs", "1", "--batch-size", "256", "-o", prepared + ".check.cwm", "--quiet");
        return result.ExitCode == 0 ? null : $"the prepared directory does not train: {result}";
    }
}
