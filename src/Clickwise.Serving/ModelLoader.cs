using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Runs;

namespace Clickwise.Serving;

/// <summary>
/// Loads a version before it may serve: read (the checksum is verified) → compile → warm up → self-test. Any step
/// failing throws, and the caller keeps the version that serves now.
/// </summary>
internal static class ModelLoader
{
    private const int WarmupSingles = 300;
    private const int SelfTestRows = 16;

    public static ServedModel Load(VersionFile file, ServeOptions options, Action<int> onBatch)
    {
        ModelArtifact artifact = ModelArtifact.Load(file.Path);
        // One core per plan call: the batch workers are the parallelism, one per thread.
        CompiledModel plan = artifact.Compile(compute: ComputeContext.Default with { Threads = 1 });
        int[] ids = SampleIds(plan, options.MaxBatchRows);
        WarmUp(plan, ids, options.MaxBatchRows);
        SelfTest(plan, ids, file);
        var encoder = new RowEncoder(artifact.FeatureMap, artifact.Input ?? new Data.Readers.ReaderOptions(), options.MaxRequestRows);
        return new ServedModel(file, artifact.Config.Name, artifact.FeatureMap, encoder, new MicroBatcher(plan, options, onBatch));
    }

    /// <summary>Valid global ids [rows, F] spread over every field's range (OOV and missing ids included), fixed by a seed.</summary>
    private static int[] SampleIds(CompiledModel plan, int rows)
    {
        int f = plan.FieldCount;
        var random = new Random(14);
        int[] ids = new int[Math.Max(rows, SelfTestRows) * f];
        for (int i = 0; i < ids.Length; i++)
        {
            int field = i % f;
            ids[i] = plan.Layout.Offsets[field] + random.Next(plan.Layout.Sizes[field]);
        }

        return ids;
    }

    /// <summary>Runs both paths a request takes (one row, a full batch) until the JIT has compiled them hot.</summary>
    private static void WarmUp(CompiledModel plan, int[] ids, int batchRows)
    {
        int f = plan.FieldCount;
        InferenceTape tape = plan.CreateTape(batchRows);
        float[] logits = new float[batchRows];
        for (int i = 0; i < WarmupSingles; i++)
        {
            plan.PredictLogits(ids.AsSpan(i % batchRows * f, f), default, 1, logits, tape);
        }

        for (int i = 0; i < 10; i++)
        {
            plan.PredictLogits(ids, default, batchRows, logits, tape);
        }
    }

    /// <summary>Rows scored one by one and as a batch must give finite logits that agree: a plan that does not is refused.</summary>
    private static void SelfTest(CompiledModel plan, int[] ids, VersionFile file)
    {
        int f = plan.FieldCount;
        InferenceTape tape = plan.CreateTape(SelfTestRows);
        float[] batch = new float[SelfTestRows];
        float[] single = new float[1];
        plan.PredictLogits(ids.AsSpan(0, SelfTestRows * f), default, SelfTestRows, batch, tape);
        for (int r = 0; r < SelfTestRows; r++)
        {
            plan.PredictLogits(ids.AsSpan(r * f, f), default, 1, single, tape);
            if (!float.IsFinite(single[0]) || !float.IsFinite(batch[r]))
            {
                throw new InvalidDataException($"{file.Path}: self-test: row {r} scores {single[0]} alone and {batch[r]} in a batch; a served logit must be finite");
            }

            if (Math.Abs(single[0] - batch[r]) > 1e-3f * (1 + Math.Abs(batch[r])))
            {
                throw new InvalidDataException($"{file.Path}: self-test: row {r} scores {single[0]} alone but {batch[r]} in a batch");
            }
        }
    }
}
