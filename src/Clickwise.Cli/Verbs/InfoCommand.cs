using System.CommandLine;
using System.Reflection;
using Clickwise.IO;
using Clickwise.Kernels;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise info</c>: version, model-file format, and which SIMD widths and kernels this process really uses.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the version, the SIMD widths the runtime enables and the active kernels");
        command.SetAction(_ => VerbRunner.Run(() =>
        {
            string version = typeof(KernelRegistry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"clickwise {version}; model file format {ModelFileFormat.CurrentVersion}; .NET {Environment.Version}");
            Console.WriteLine($"cores {Environment.ProcessorCount}, default compute: {ComputeContext.Default.Describe()}");
            Console.WriteLine(KernelRegistry.Describe());
            return ExitCodes.Success;
        }));
        return command;
    }
}
