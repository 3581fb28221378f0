using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// OptEmbed's masks on the shared table (seed 004), run by <see cref="EmbeddingPart"/> between its gather and its scatter so
/// every model that reads the shared table gets them unchanged: the learnable row thresholds (<c>embedding.threshold</c>,
/// [F] or [V], role <see cref="ParameterRole.Threshold"/>, initialised to 0), the per-sample, per-field nested widths of
/// supernet training and the searched per-field widths D_f. Pruned rows read as zeros (<see cref="EmbeddingRowMask"/>) or
/// as their field's OOV row (<see cref="EmbeddingRowMask.MapPruned"/>). Evaluation and the compiled plan apply the row
/// mask and the field widths; the plan reads a masked copy of the table (<see cref="RowMask"/>), exact since both masks are
/// functions of the weights and the config.
/// </summary>
internal sealed class EmbeddingMaskPart
{
    private readonly FeatureLayout _layout;
    private readonly int _dim;
    private readonly int[] _oovRows;
    private readonly int[] _fieldDims;
    private int[] _keptDims = [];
    private float[] _margins = [];
    private long _stepSeed;
    private bool _truncated;

    public EmbeddingMaskPart(ParameterSet parameters, FeatureLayout layout, int dim, ModelConfig config, string name)
    {
        _layout = layout;
        _dim = dim;
        _oovRows = [.. layout.Offsets.Select(o => o + FeatureMap.OovId)];
        PrunedRows = config.EmbeddingPrunedRows;
        DimSampling = config.EmbeddingDimSampling;
        _fieldDims = config.EmbeddingFieldDims;
        if (_fieldDims.Length is not 0 && _fieldDims.Length != layout.FieldCount)
        {
            throw new ArgumentException($"embedding_field_dims gives {_fieldDims.Length} widths for {layout.FieldCount} fields: one per field.");
        }

        PerFeature = config.EmbeddingThreshold == RowThreshold.Feature;
        Threshold = config.EmbeddingThreshold == RowThreshold.None
            ? null
            : parameters.Add(Parameter.Dense($"{name}.threshold", ParameterRole.Threshold, PerFeature ? layout.TotalRows : layout.FieldCount));
        Kept = config.EmbeddingKeptRows ? parameters.Add(Parameter.Dense($"{name}.kept", ParameterRole.RowMask, layout.TotalRows)) : null;
        if (Kept is { IsLoaded: false })
        {
            Array.Fill(Kept.Value, 1f);
        }
    }

    /// <summary>The learnable thresholds; null without them.</summary>
    public Parameter? Threshold { get; }

    /// <summary>The fixed row mask of retraining (1 kept, 0 pruned); null without it.</summary>
    public Parameter? Kept { get; }

    public bool PerFeature { get; }

    public PrunedRows PrunedRows { get; }

    public bool DimSampling { get; }

    private bool HasRowMask => Threshold is not null || Kept is not null;

    /// <summary>Whether the gather reads other rows than the batch's ids (OOV mode remaps pruned ones).</summary>
    public bool MapsRows => HasRowMask && PrunedRows == PrunedRows.Oov;

    /// <summary>Whether the gathered rows are masked after the gather (zero mode), with margins the backward reads.</summary>
    private bool MasksOutput => HasRowMask && PrunedRows == PrunedRows.Zero;

    public void Prepare(int maxTouched)
    {
        _keptDims = DimSampling || _fieldDims.Length > 0 ? new int[maxTouched] : [];
        _margins = new float[maxTouched];
    }

    /// <summary>Seeds the next training forward's widths from (model seed, step), so a resumed run draws the same ones.</summary>
    public void BeginStep(int modelSeed, long globalStep) => _stepSeed = DropoutSeeds.ForDimensions(modelSeed, globalStep);

    /// <summary>OOV mode: the rows the gather reads, pruned ids sent to their field's OOV row; else nothing.</summary>
    public void MapRowsIfPruning(Batch batch, float[] table, Span<int> rows)
    {
        if (MapsRows)
        {
            RefuseMultiHot(batch);
            Span<float> margins = Margins(table, batch.IdsInUse);
            EmbeddingRowMask.MapPruned(batch.IdsInUse, margins, _oovRows, rows);
        }
    }

    /// <summary>
    /// Masks the gathered <paramref name="output"/> in place: rows by their thresholds or the fixed mask, each lookup to its
    /// field's width and, in a training forward with sampling, to a width drawn from U{1..D} (the smaller of the two).
    /// </summary>
    public void Forward(Batch batch, float[] table, ReadOnlySpan<int> rows, Span<float> output, bool training)
    {
        RefuseMultiHot(batch);
        int n = rows.Length, fields = _layout.FieldCount;
        bool sampled = training && DimSampling;
        _truncated = sampled || _fieldDims.Length > 0;
        if (_truncated)
        {
            ulong seed = unchecked((ulong)_stepSeed);
            for (int i = 0; i < n; i++)
            {
                int width = _fieldDims.Length > 0 ? _fieldDims[i % fields] : _dim;
                _keptDims[i] = sampled ? Math.Min(width, 1 + (int)Math.BigMul(SeededRandom.DrawAt(seed, i), (ulong)_dim, out _)) : width;
            }
        }

        EmbeddingRowMask.Forward(MasksOutput ? Margins(table, rows) : default, _dim, KeptDims(n), output);
    }

    /// <summary>Rewrites dOut [B, F, D] into the gather's gradient and accumulates the learnable thresholds' (zero mode).</summary>
    public void Backward(Batch batch, float[] table, ReadOnlySpan<int> rows, Span<float> dOutput) =>
        EmbeddingRowMask.Backward(table, rows, batch.ValuesInUse, batch.HasValues, MasksOutput ? _margins.AsSpan(0, rows.Length) : default,
            PerFeature, _layout.FieldCount, _dim, KeptDims(rows.Length), dOutput,
            MasksOutput && Threshold is { Frozen: false } ? Threshold.Grad : default);

    /// <summary>The lookups' margins against the thresholds (n − t) or the fixed mask (±∞), into the planned buffer.</summary>
    private Span<float> Margins(float[] table, ReadOnlySpan<int> rows)
    {
        Span<float> margins = _margins.AsSpan(0, rows.Length);
        if (Threshold is not null)
        {
            EmbeddingRowMask.Margins(table, rows, Threshold.Value, PerFeature, _layout.FieldCount, _dim, margins);
        }
        else
        {
            EmbeddingRowMask.FixedMargins(rows, Kept!.Value, margins);
        }

        return margins;
    }

    /// <summary>The table as evaluation reads it: pruned rows zeroed or replaced by their field's OOV row (a copy).</summary>
    public float[] Served(float[] table)
    {
        if (!HasRowMask && _fieldDims.Length == 0)
        {
            return table;
        }

        RowMask mask = Mask(table);
        float[] served = (float[])table.Clone();
        for (int f = 0; f < _layout.FieldCount; f++)
        {
            for (int r = _layout.Offsets[f]; r < _layout.Offsets[f] + _layout.Sizes[f]; r++)
            {
                Span<float> row = served.AsSpan(r * _dim, _dim);
                if (!mask.Keeps(r, f))
                {
                    if (PrunedRows == PrunedRows.Oov)
                    {
                        table.AsSpan(mask.OovRow(f) * _dim, _dim).CopyTo(row);
                    }
                    else
                    {
                        row.Clear();
                    }
                }

                row[mask.FieldDims[f]..].Clear();
            }
        }

        return served;
    }

    /// <summary>The table as the plan stores it: the kept rows only, each field at its width (<see cref="FieldWidthTable"/>).</summary>
    public FieldWidthTable Compact(float[] table) => FieldWidthTable.FromMask(Mask(table));

    private RowMask Mask(float[] table) =>
        new(_layout, _dim, table, Threshold?.Value, Threshold is null ? RowThreshold.None : PerFeature ? RowThreshold.Feature : RowThreshold.Field,
            PrunedRows, _fieldDims, Kept?.Value);

    private ReadOnlySpan<int> KeptDims(int n) => _truncated ? _keptDims.AsSpan(0, n) : default;

    private void RefuseMultiHot(Batch batch)
    {
        if (HasRowMask && !batch.ExtrasInUse.IsEmpty)
        {
            throw new NotSupportedException("embedding_threshold and embedding_kept_rows need one feature per field; this batch has multi-hot fields.");
        }
    }
}
