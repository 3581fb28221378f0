using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>
/// The evolutionary search's fitness on a trained supernet (seed 004, eq. 15): the validation AUC of the supernet's weights
/// read with the candidate's per-field widths and the learned row mask, no sampling. Each candidate is a model rebuilt
/// around the same weight arrays (no copy), so an evaluation costs one validation pass.
/// </summary>
public sealed class SupernetFitness
{
    private readonly ModelConfig _config;
    private readonly FeatureLayout _layout;
    private readonly IReadOnlyDictionary<string, float[]> _weights;
    private readonly IEvaluator _evaluator;
    private readonly IBatchSource _validation;
    private readonly int _batchSize;
    private readonly int[] _keptRows;

    public SupernetFitness(CtrModel supernet, IEvaluator evaluator, IBatchSource validation, int batchSize)
    {
        _config = supernet.Config with { EmbeddingDimSampling = false, EmbeddingFieldDims = [] };
        _layout = supernet.Layout;
        _weights = supernet.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        _evaluator = evaluator;
        _validation = validation;
        _batchSize = batchSize;
        Mask = RowMask.Of(_config, _layout, _weights)
            ?? new RowMask(_layout, _config.EmbeddingDim, _weights[EmbeddingPart.DefaultName], null, RowThreshold.None, PrunedRows.Zero, []);
        _keptRows = Mask.KeptRowsPerField();
    }

    /// <summary>The supernet's row mask at full width.</summary>
    public RowMask Mask { get; }

    /// <summary>The supernet with <paramref name="dims"/> as its per-field widths, sharing its weights.</summary>
    public CtrModel With(int[] dims) => ModelRegistry.Load(_config with { EmbeddingFieldDims = dims }, _layout, _weights);

    public double Auc(int[] dims) => _evaluator.Evaluate(With(dims), _validation, _batchSize).Auc;

    /// <summary>Σ_f kept_f·D_f: the table parameters the candidate keeps under the learned row mask.</summary>
    public long Parameters(int[] dims) => Mask.KeptParameters(dims, _keptRows);
}
