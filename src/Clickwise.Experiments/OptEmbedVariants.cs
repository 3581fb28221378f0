namespace Clickwise.Experiments;

/// <summary>The OptEmbed pipelines a study runs after its original (seed 004's Table 3 names the ablations).</summary>
[Flags]
public enum OptEmbedVariants
{
    /// <summary>Row thresholds and sampled widths, searched: OptEmbed itself.</summary>
    Full = 1,

    /// <summary>OptEmbed-E: the row thresholds only, every field at full width.</summary>
    RowsOnly = 2,

    /// <summary>OptEmbed-D: sampled widths and the search only, every row kept.</summary>
    WidthsOnly = 4,
}
