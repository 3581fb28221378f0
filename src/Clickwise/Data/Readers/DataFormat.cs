namespace Clickwise.Data.Readers;

/// <summary>The text formats <see cref="RecordReaders"/> can open.</summary>
public enum DataFormat
{
    /// <summary>Criteo Kaggle/Terabyte TSV without header: label, I1..I13, C1..C26 (no label when unlabeled).</summary>
    Criteo,

    /// <summary>Criteo as CSV with a header (DeepCTR's sample, the Kaggle-2014 winners' <c>Id,Label,…</c>); columns found by name.</summary>
    CriteoCsv,

    /// <summary>Avazu CSV with header; <c>id</c> ignored, <c>hour</c> (YYMMDDHH) turned into hour-of-day and weekday.</summary>
    Avazu,

    /// <summary>The DeepLight/DeepFwFM index-encoded Criteo CSV: no header, 40 integer columns, all fields categorical.</summary>
    DeepLight,

    /// <summary>Generic delimited text with a header (or given column names) and a schema naming label, numeric and categorical columns.</summary>
    Csv,

    /// <summary>libsvm/libFM <c>label idx:val …</c>; the field of a feature is its position in the row.</summary>
    Libsvm,

    /// <summary>libffm <c>label field:idx:val …</c>.</summary>
    Libffm,
}
