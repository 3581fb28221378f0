namespace Clickwise.Data.Readers;

/// <summary>What a delimited reader does with one column.</summary>
internal enum ColumnAction : byte
{
    Ignore,
    Label,
    Numeric,
    Categorical,

    /// <summary>YYMMDDHH split into an hour-of-day field and the weekday field after it.</summary>
    Hour,
}
