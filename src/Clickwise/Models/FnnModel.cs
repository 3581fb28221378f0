using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Inference;

namespace Clickwise.Models;

/// <summary>
/// FNN, the FM-initialised DNN: logit = w0 + MLP(z) over the per-field vectors z_i = x_i·(w[id_i], e[id_i]) of size D + 1,
/// i.e. the input [B, F·(D + 1)] holds, field by field, the first-order weight and the embedding of the field's
/// feature. Its tables are an FM's ("first_order" [V, 1], "embedding" [V, D], and the global "bias"), so a trained
/// FM's tensors drop in unchanged: the train run pre-trains an FM for <c>fm_pretrain_epochs</c> and copies them over
/// (<see cref="ModelTransfer"/>), or takes them from a saved FM (<c>train --model fnn --init fm.cwm</c>).
/// </summary>
/// <remarks>
/// Zhang et al., "Deep Learning over Multi-field Categorical Data" (ECIR 2016), as described in Guo et al., DeepFM
/// (extended version), §III.C.1 and Fig. 8 (left): "if the dimension of latent vectors in FM is k, then the latent vectors
/// are of size k + 1 in FNN". The FNN paper's input z = (w0, z_1, …, z_F) also carries the FM's global bias w0, a
/// constant into the first layer that its own biases already provide; here w0 is left out of z and stays the model's
/// starting logit (as in every Clickwise model), where the FM's w0 is copied to.
/// </remarks>
public sealed class FnnModel : CtrModel
{
    private readonly BiasPart _bias;
    private readonly EmbeddingPart _embedding;
    private readonly EmbeddingPart _firstOrder;
    private readonly DeepPart _deep;
    private float[] _input = [];
    private float[] _dInput = [];

    public FnnModel(ModelConfig config, FeatureLayout layout, IReadOnlyDictionary<string, float[]>? weights = null)
        : base(config, layout, weights)
    {
        var random = new SeededRandom(config.Seed);
        // The FM's parameters in the FM's order (and initialisation draws).
        EmbeddingPart.RefuseRank(config, "fnn joins the first-order and embedding tables into one [w ‖ e] gather, which a projection would split");
        _embedding = EmbeddingPart.Shared(Parameters, layout, config, random);
        _firstOrder = new EmbeddingPart(Parameters, layout, 1, config.InitStd, random,
            "first_order", ParameterRole.FirstOrder);
        _bias = new BiasPart(Parameters);
        _deep = new DeepPart(Parameters, config, InputWidth(layout.FieldCount, config.EmbeddingDim), random);
    }

    /// <summary>F·(D + 1): the DNN's input width.</summary>
    public static int InputWidth(int fieldCount, int dim) => checked(fieldCount * (dim + 1));

    public override Mlp? Dnn => _deep.Mlp;

    public override void BeginStep(long globalStep)
    {
        _embedding.BeginStep(Config.Seed, globalStep);
        _deep.BeginStep(Config.Seed, globalStep);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _embedding.Prepare(maxBatchSize, compute);
        _firstOrder.Prepare(maxBatchSize, compute);
        _deep.Prepare(maxBatchSize, compute);
        _input = new float[checked(maxBatchSize * InputWidth(Layout.FieldCount, _embedding.Dim))];
        _dInput = new float[_input.Length];
    }

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        BatchGuard.Check(this, batch, logits);
        int n = batch.Count;
        _bias.Forward(n, logits);
        _firstOrder.Forward(batch, training);
        _embedding.Forward(batch, training);
        Join(_firstOrder.Output, _embedding.Output, n * Layout.FieldCount, _embedding.Dim, _input);
        _deep.Forward(_input.AsSpan(0, n * Layout.FieldCount * (_embedding.Dim + 1)), n, logits, training);
    }

    internal override void Lower(PlanBuilder plan)
    {
        _bias.Lower(plan);
        if (_embedding.Mask is not null && !plan.RetainWeights)
        {
            // OptEmbed's compact table holds no pruned row, but every row keeps its first-order weight: two gathers,
            // joined field by field at the searched widths.
            TapeRegion firstOrder = plan.Gather(_firstOrder.Table.Value, 1);
            _deep.Lower(plan, plan.PackFields(_embedding.Lower(plan), lead: firstOrder, extra: 0));
            return;
        }

        // The two gathers and the join of Forward as one gather from a joined [V, D + 1] copy of the tables.
        int rows = Layout.TotalRows, d = _embedding.Dim;
        var joined = new float[checked(rows * (d + 1))];
        Join(_firstOrder.Table.Value, _embedding.ServedTable, rows, d, joined);
        TapeRegion z = plan.Gather(joined, d + 1);
        _deep.Lower(plan, z);
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, d = _embedding.Dim;
        _deep.Backward(_input.AsSpan(0, n * Layout.FieldCount * (d + 1)), dLogits, n, _dInput); // writes dInput
        // Split dz_i = (dw_i, de_i) back into the two tables' gradient buffers (writes both).
        for (int k = 0, count = n * Layout.FieldCount; k < count; k++)
        {
            _firstOrder.DOutput[k] = _dInput[k * (d + 1)];
            _dInput.AsSpan(k * (d + 1) + 1, d).CopyTo(_embedding.DOutput.AsSpan(k * d, d));
        }

        _embedding.EndBackward(batch);
        _firstOrder.EndBackward(batch);
        _bias.Backward(dLogits, n);
    }

    /// <summary>
    /// z[k] = (w[k], e[k, :]) for the <paramref name="count"/> (row, field) slots: the FNN input layout, shared by the
    /// compiled plan's joined table (one [V, D + 1] row per feature).
    /// </summary>
    public static void Join(ReadOnlySpan<float> firstOrder, ReadOnlySpan<float> embedding, int count, int dim, Span<float> joined)
    {
        for (int k = 0; k < count; k++)
        {
            joined[k * (dim + 1)] = firstOrder[k];
            embedding.Slice(k * dim, dim).CopyTo(joined.Slice(k * (dim + 1) + 1, dim));
        }
    }
}
