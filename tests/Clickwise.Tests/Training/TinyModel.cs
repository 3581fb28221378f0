using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Inference;
using Clickwise.Kernels;

namespace Clickwise.Tests.Training;

/// <summary>
/// A small CtrModel for trainer tests: logit = bias + Σ_f w[id_f]·x_f + Mlp(concat_f e[id_f]·x_f), with a
/// row-sparse embedding and first-order table, a ReLU hidden layer with step-seeded dropout, and a seam that
/// emits NaN at a chosen training forward.
/// </summary>
internal sealed class TinyModel : CtrModel
{
    private readonly Parameter _embedding;
    private readonly Parameter _firstOrder;
    private readonly Parameter _bias;
    private readonly Parameter _w1;
    private readonly Parameter _b1;
    private readonly Parameter _w2;
    private readonly Parameter _b2;
    private readonly int _inputs;
    private readonly int _hidden;
    private float[] _x = [];
    private float[] _h = [];
    private float[] _mask = [];
    private long _step;
    private long _trainingForwards;
    private long _backwards;

    public TinyModel(FeatureLayout layout, int maxBatchSize, int dim = 4, int hidden = 8, float dropout = 0f, int seed = 7)
        : base(new ModelConfig { Name = "tiny", EmbeddingDim = dim, HiddenUnits = [hidden], Dropout = dropout, Seed = seed },
            layout, weights: null)
    {
        int rows = layout.TotalRows;
        _inputs = layout.FieldCount * dim;
        _hidden = hidden;
        _embedding = Parameters.Add(Parameter.RowSparse("embedding", ParameterRole.Embedding, rows, dim));
        _firstOrder = Parameters.Add(Parameter.RowSparse("first_order", ParameterRole.FirstOrder, rows, 1));
        _bias = Parameters.Add(Parameter.Dense("bias", ParameterRole.Bias, 1));
        _w1 = Parameters.Add(Parameter.Dense("mlp.0.weight", ParameterRole.DenseWeight, _inputs, hidden));
        _b1 = Parameters.Add(Parameter.Dense("mlp.0.bias", ParameterRole.Bias, hidden));
        _w2 = Parameters.Add(Parameter.Dense("mlp.1.weight", ParameterRole.DenseWeight, hidden, 1));
        _b2 = Parameters.Add(Parameter.Dense("mlp.1.bias", ParameterRole.Bias, 1));
        var random = new Random(seed);
        Fill(_embedding.Value, random, 0.1f);
        Fill(_w1.Value, random, 1f / MathF.Sqrt(_inputs));
        Fill(_w2.Value, random, 1f / MathF.Sqrt(hidden));
        PrepareTraining(maxBatchSize);
    }

    protected override void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _x = new float[maxBatchSize * _inputs];
        _h = new float[maxBatchSize * _hidden];
        _mask = new float[maxBatchSize * _hidden];
    }

    /// <summary>The trainer never compiles it; a test that tried would be wrong, so it fails loudly.</summary>
    internal override void Lower(PlanBuilder plan) => throw new NotSupportedException("the trainer's test model has no compiled form");

    /// <summary>The 1-based training forward at which logit 0 becomes NaN; 0 never.</summary>
    public long NaNAtTrainingForward { get; set; }

    /// <summary>The 1-based backward at which the bias gradient becomes NaN (loss still finite); 0 never.</summary>
    public long NaNGradientAtBackward { get; set; }

    public override void BeginStep(long globalStep) => _step = globalStep;

    public override void Forward(Batch batch, Span<float> logits, bool training)
    {
        int n = batch.Count, fields = batch.FieldCount, dim = Config.EmbeddingDim;
        for (int b = 0; b < n; b++)
        {
            float z = _bias.Value[0] + _b2.Value[0];
            for (int f = 0; f < fields; f++)
            {
                int id = batch.Ids[b * fields + f];
                float value = batch.HasValues ? batch.Values[b * fields + f] : 1f;
                z += _firstOrder.Value[id] * value;
                for (int d = 0; d < dim; d++)
                {
                    _x[b * _inputs + f * dim + d] = _embedding.Value[id * dim + d] * value;
                }
            }

            for (int j = 0; j < _hidden; j++)
            {
                float a = _b1.Value[j];
                for (int i = 0; i < _inputs; i++)
                {
                    a += _x[b * _inputs + i] * _w1.Value[i * _hidden + j];
                }

                float keep = training && Config.Dropout > 0 ? DropoutScale(b, j) : 1f;
                _mask[b * _hidden + j] = keep;
                float h = MathF.Max(a, 0f) * keep;
                _h[b * _hidden + j] = h;
                z += h * _w2.Value[j];
            }

            logits[b] = z;
        }

        if (training && ++_trainingForwards == NaNAtTrainingForward)
        {
            logits[0] = float.NaN;
        }
    }

    public override void Backward(Batch batch, ReadOnlySpan<float> dLogits)
    {
        int n = batch.Count, fields = batch.FieldCount, dim = Config.EmbeddingDim;
        float[] dX = new float[_inputs];
        for (int b = 0; b < n; b++)
        {
            float dz = dLogits[b];
            _bias.Grad![0] += dz;
            _b2.Grad![0] += dz;
            Array.Clear(dX);
            for (int j = 0; j < _hidden; j++)
            {
                float h = _h[b * _hidden + j];
                _w2.Grad![j] += h * dz;
                float dA = h > 0 ? dz * _w2.Value[j] * _mask[b * _hidden + j] : 0f;
                _b1.Grad![j] += dA;
                for (int i = 0; i < _inputs; i++)
                {
                    _w1.Grad![i * _hidden + j] += _x[b * _inputs + i] * dA;
                    dX[i] += _w1.Value[i * _hidden + j] * dA;
                }
            }

            for (int f = 0; f < fields; f++)
            {
                int id = batch.Ids[b * fields + f];
                float value = batch.HasValues ? batch.Values[b * fields + f] : 1f;
                _firstOrder.RowGrad!.Row(id)[0] += dz * value;
                Span<float> row = _embedding.RowGrad!.Row(id);
                for (int d = 0; d < dim; d++)
                {
                    row[d] += dX[f * dim + d] * value;
                }
            }
        }

        if (++_backwards == NaNGradientAtBackward)
        {
            _bias.Grad![0] = float.NaN;
        }
    }

    // A counter-based mask: a pure function of (seed, step, row, unit), so a resumed run redraws the same masks.
    private float DropoutScale(int row, int unit)
    {
        ulong x = (ulong)Config.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)_step * 0xBF58476D1CE4E5B9UL ^ (ulong)(row * 4099 + unit);
        x ^= x >> 31;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 29;
        double u = (x >> 11) * (1.0 / (1UL << 53));
        return u < Config.Dropout ? 0f : 1f / (1f - Config.Dropout);
    }

    private static void Fill(float[] values, Random random, float scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }
    }
}
