using System.CommandLine;
using System.Text.Json;
using Clickwise.Inference;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise inspect</c>: what a model file holds (verifying its checksum on the way).</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var json = CommonOptions.Json();
        var command = new Command("inspect", "Show a model file's config, feature map and parameters per component");
        CommonOptions.AddAll(command, model, json);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(model)!;
            CommonOptions.RequireModel(path, "-m/--model");
            ModelArtifact artifact = ModelArtifact.Load(path);
            CompiledModel compiled = artifact.Compile();
            CompiledModel smallest = artifact.Compile(objective: PlanObjective.Memory);
            var components = artifact.Tensors
                .GroupBy(t => Component(t.Key))
                .Select(g => new
                {
                    component = g.Key,
                    parameters = g.Sum(t => (long)t.Value.Length),
                    non_zero = g.Sum(t => (long)t.Value.Count(v => v != 0f)),
                })
                .ToArray();
            TensorTrainFields? trains = artifact.Config.EmbeddingTtRank > 0
                ? new TensorTrainFields(artifact.FeatureMap.Layout, artifact.Config.EmbeddingDim, artifact.Config.EmbeddingTtRank, artifact.Config.EmbeddingTtFields)
                : null;
            ModelConfig config = artifact.Config;
            QuotientRemainderFields? quotientRemainder = QuotientRemainderFields.Of(config, artifact.FeatureMap.Layout);
            RowMask? rowMask = RowMask.Of(artifact.Config, artifact.FeatureMap.Layout, artifact.Tensors);
            int[]? keptRows = rowMask?.KeptRowsPerField();
            FieldWidthTable? compactTable = rowMask is null ? null : FieldWidthTable.FromMask(rowMask);
            long denseTableBytes = (long)artifact.FeatureMap.Layout.TotalRows * artifact.Config.EmbeddingDim * sizeof(float);
            var fields = artifact.FeatureMap.Fields.Select((f, i) => new
            {
                name = f.Spec.Name,
                kind = f.Spec.Kind.ToString().ToLowerInvariant(),
                size = artifact.FeatureMap.Layout.Sizes[i],
                offset = artifact.FeatureMap.Layout.Offsets[i],
                tensor_train = trains is not null && trains.Fields.Contains(i) ? trains.Shape(i).ToString() : null,
                quotient_remainder = quotientRemainder is not null && quotientRemainder.Fields.Contains(i)
                    ? quotientRemainder.Describe(i, config.EmbeddingDim)
                    : null,
                rows_kept = keptRows?[i],
                width = rowMask?.FieldDims[i],
            }).ToArray();
            var summary = new
            {
                file = path,
                bytes = new FileInfo(path).Length,
                checksum = "ok",
                model = artifact.Config,
                fields = fields.Length,
                vocabulary_rows = artifact.FeatureMap.Layout.TotalRows,
                embedding_sparsity = rowMask?.Sparsity,
                embedding_bytes = compactTable?.Bytes,
                embedding_file_bytes = compactTable is null ? (long?)null : FieldWidthTensors.Applies(artifact.Config) ? compactTable.StoredBytes : denseTableBytes,
                embedding_dense_bytes = compactTable is null ? (long?)null : denseTableBytes,
                rows_kept = rowMask is null ? null : fields.Select(f => new { field = f.name, rows = f.size, kept = f.rows_kept, f.width }).ToArray(),
                tensor_train_fields = fields.Where(f => f.tensor_train is not null).Select(f => new { field = f.name, shape = f.tensor_train }).ToArray(),
                quotient_remainder_fields = fields.Where(f => f.quotient_remainder is not null)
                    .Select(f => new { field = f.name, shape = f.quotient_remainder }).ToArray(),
                parameters = artifact.ParameterCount,
                non_zero_parameters = components.Sum(c => c.non_zero),
                components,
                plan = compiled.Describe(),
                plan_parameters = compiled.ParameterCount,
                plan_bytes = compiled.Bytes,
                smallest_plan_bytes = smallest.Bytes,
                training = artifact.ExtraJson is null ? (JsonElement?)null : JsonDocument.Parse(artifact.ExtraJson).RootElement,
            };
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(summary, ConfigJson.Options));
                return ExitCodes.Success;
            }

            Console.WriteLine($"{path}: {summary.bytes:N0} bytes, checksum ok");
            Console.WriteLine($"model {artifact.Config.Name}: {string.Join(", ", artifact.Config.Describe())}");
            Console.WriteLine($"features: {fields.Length} fields, {summary.vocabulary_rows:N0} rows"
                + (rowMask is null ? "" : $", {keptRows!.Sum():N0} kept by the row thresholds (embedding sparsity {rowMask.Sparsity:P1})"));
            foreach (var field in fields)
            {
                Console.WriteLine($"  {field.name,-16} {field.kind,-12} {field.size,10:N0}"
                    + (field.rows_kept is { } kept ? $"  kept {kept,10:N0}  width {field.width}" : "")
                    + (field.tensor_train is null ? "" : $"  tensor train: {field.tensor_train}")
                    + (field.quotient_remainder is null ? "" : $"  {field.quotient_remainder}"));
            }

            if (compactTable is not null)
            {
                Console.WriteLine($"embedding table: {summary.embedding_bytes:N0} bytes in the plan, {summary.embedding_file_bytes:N0} in the file "
                    + $"(kept rows at their widths and a row bitmap; {denseTableBytes:N0} dense)");
            }

            Console.WriteLine($"parameters {summary.parameters:N0} ({summary.non_zero_parameters:N0} non-zero)");
            foreach (var component in components)
            {
                double sparsity = 1 - component.non_zero / (double)Math.Max(1, component.parameters);
                Console.WriteLine($"  {component.component,-16} {component.parameters,12:N0}  {sparsity,6:P1} zero");
            }

            Console.WriteLine($"compiled plan: {compiled.ParameterCount:N0} parameters, {compiled.Bytes:N0} bytes in memory "
                + $"(smallest plan, bench --plan memory: {smallest.Bytes:N0} bytes)");
            foreach (string op in summary.plan)
            {
                Console.WriteLine($"  {op}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Component of a parameter name: "mlp.0.weight" → "mlp", "fwfm.r" → "fwfm.r".</summary>
    private static string Component(string name) =>
        name.StartsWith("mlp.", StringComparison.Ordinal) ? "mlp"
        : name.StartsWith("embedding.tt.", StringComparison.Ordinal) ? "embedding.tt"
        : name;
}
