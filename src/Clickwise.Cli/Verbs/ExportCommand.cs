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
        var command = new Command("export", "Export a model as ONNX (INT64 ids [N,F] in, logits and probabilities [N,1] out) with a manifest.json");
        CommonOptions.AddAll(command, model, format, output, manifest);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(model)!;
            string onnx = parse.GetValue(output)!;
            string manifestPath = parse.GetValue(manifest) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnx))!, "manifest.json");
            CommonOptions.RequireModel(path, "-m/--model");
            OutputAliases.Refuse(onnx, ("-m", path));
            OutputAliases.Refuse(manifestPath, ("-m", path));
            if (Path.GetFullPath(onnx) == Path.GetFullPath(manifestPath))
            {
                throw new UsageException($"the ONNX file and the manifest are both {onnx}; choose another --manifest");
            }

            ModelArtifact artifact = ModelArtifact.Load(path);
            OnnxExport.Write(artifact, onnx, manifestPath);
            Console.WriteLine($"wrote {onnx} ({new FileInfo(onnx).Length:N0} bytes, ONNX opset {OnnxExport.OpsetVersion}) and {manifestPath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
