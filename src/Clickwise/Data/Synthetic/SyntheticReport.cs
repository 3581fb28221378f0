namespace Clickwise.Data.Synthetic;

/// <summary>
/// What <see cref="SyntheticGenerator.Generate(SyntheticOptions, Stream)"/> produced. <see cref="TeacherAuc"/>
/// is the exact AUC of the teacher's own probabilities on these rows: the ceiling a model can reach on them.
/// <see cref="Bytes"/> counts the uncompressed text.
/// </summary>
public sealed record SyntheticReport(long Rows, double PositiveRate, double TeacherAuc, double Seconds, long Bytes)
{
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : double.NaN;
}
