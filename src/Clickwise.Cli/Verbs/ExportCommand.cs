using System.CommandLine;
using Clickwise.Interchange;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise export</c>: a model file as an ONNX model plus the manifest another runtime encodes raw rows by.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var format = new Option<string>("--format") { Description = "Export format", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx");
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write", Required = true };
        var manifest = new Option<string?>("--manifest")
        {
            Description = "The manifest (feature map and encoding rules) to write; default: manifest.json beside the ONNX file",
        };
        var externalAbove = new Option<long>("--external-data-above")
        {
            Description = "Initializer bytes past which the large ones go to FILE.data beside the ONNX file (protobuf caps a model at 2 GiB)",
            DefaultValueFactory = _ => OnnxExport.DefaultExternalDataAbove,
        };
        var command = new Command("export", "Export a model as ONNX (INT64 ids [N,F] in, logits and probabilities [N,1] out) with a manifest.json");
        CommonOptions.AddAll(command, model, format, output, manifest, externalAbove);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(model)!;
            string onnx = parse.GetValue(output)!;
            string manifestPath = parse.GetValue(manifest) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnx))!, "manifest.json");
            string dataPath = OnnxExport.ExternalDataPath(onnx);
            long above = parse.GetValue(externalAbove);
            CommonOptions.RequireModel(path, "-m/--model");
            if (above < 0)
            {
                throw new UsageException($"--external-data-above must be >= 0, got {above}");
            }

            OutputAliases.Refuse(onnx, ("-m", path));
            OutputAliases.Refuse(manifestPath, ("-m", path));
            OutputAliases.Refuse(dataPath, ("-m", path));
            if (Path.GetFullPath(manifestPath) is var m && (m == Path.GetFullPath(onnx) || m == Path.GetFullPath(dataPath)))
            {
                throw new UsageException($"the manifest {manifestPath} is the ONNX file or its external data; choose another --manifest");
            }

            ModelArtifact artifact = ModelArtifact.Load(path);
            bool external = OnnxExport.Write(artifact, onnx, manifestPath, above);
            string data = external ? $", initializers in {dataPath} ({new FileInfo(dataPath).Length:N0} bytes)" : "";
            Console.WriteLine($"wrote {onnx} ({new FileInfo(onnx).Length:N0} bytes, ONNX opset {OnnxExport.OpsetVersion}{data}) and {manifestPath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
