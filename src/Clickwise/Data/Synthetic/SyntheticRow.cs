namespace Clickwise.Data.Synthetic;

/// <summary>
/// One drawn row before it becomes text: per field a category rank, a count, or hours since the first hour
/// (<see cref="Missing"/> when absent), plus Avazu's row id. Reused across the rows of a chunk.
/// </summary>
internal sealed class SyntheticRow
{
    public const long Missing = long.MinValue;

    public SyntheticRow(int fieldCount, int missingGroups)
    {
        Values = new long[fieldCount];
        TeacherIds = new int[fieldCount];
        GroupDraws = new double[missingGroups];
    }

    public long[] Values { get; }

    /// <summary>The teacher's view of each field (see <see cref="Teacher.IdOf"/>), filled by the teacher.</summary>
    public int[] TeacherIds { get; }

    /// <summary>Shared uniform draws of the missing groups.</summary>
    public double[] GroupDraws { get; }

    public ulong RowId { get; set; }
}
