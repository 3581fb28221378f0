namespace Clickwise.Data.Synthetic;

/// <summary>
/// Criteo Kaggle DAC (train.txt): label, I1..I13, C1..C26, tab-separated, no header, empty = missing.
/// Cardinalities are the real ones over 45M rows; missing rates and count medians follow the real data
/// (I1 45% missing, I12 77%, C19/C20/C25/C26 44% missing together, I2 sometimes -1, I5 in the thousands).
/// </summary>
internal static class CriteoProfile
{
    private static readonly long[] Cardinalities =
    [
        1460, 583, 10131227, 2202608, 305, 24, 12517, 633, 3, 93145, 5683, 8351593, 3194,
        27, 14992, 5461306, 10, 5652, 2173, 4, 7046547, 18, 15, 286181, 105, 142572,
    ];

    public static SyntheticProfile Create(double cardinalityScale)
    {
        const int GroupI1 = 0, GroupI3 = 1, GroupI7 = 2, GroupC3 = 3, GroupC19 = 4;
        var fields = new List<SyntheticField>
        {
            SyntheticField.Count("I1", median: 1, sigma: 1.2, missingRate: 0.454, missingGroup: GroupI1),
            SyntheticField.Count("I2", median: 2, sigma: 2.2) with { NegativeRate = 0.1 },
            SyntheticField.Count("I3", median: 6, sigma: 1.5, missingRate: 0.215, missingGroup: GroupI3),
            SyntheticField.Count("I4", median: 4, sigma: 1.0, missingRate: 0.217, missingGroup: GroupI3),
            SyntheticField.Count("I5", median: 2800, sigma: 1.8, missingRate: 0.026),
            SyntheticField.Count("I6", median: 33, sigma: 1.6, missingRate: 0.224, missingGroup: GroupI3),
            SyntheticField.Count("I7", median: 3, sigma: 1.5, missingRate: 0.043, missingGroup: GroupI7),
            SyntheticField.Count("I8", median: 8, sigma: 1.0, missingRate: 0.0005),
            SyntheticField.Count("I9", median: 40, sigma: 1.3, missingRate: 0.043, missingGroup: GroupI7),
            SyntheticField.Count("I10", median: 0.5, sigma: 0.8, missingRate: 0.454, missingGroup: GroupI1),
            SyntheticField.Count("I11", median: 1, sigma: 1.0, missingRate: 0.043, missingGroup: GroupI7),
            SyntheticField.Count("I12", median: 0.2, sigma: 1.2, missingRate: 0.766),
            SyntheticField.Count("I13", median: 4, sigma: 1.2, missingRate: 0.217, missingGroup: GroupI3),
        };

        for (int c = 0; c < Cardinalities.Length; c++)
        {
            string name = $"C{c + 1}";
            (double rate, int group) = name switch
            {
                "C3" or "C4" or "C12" or "C16" or "C21" or "C24" => (0.034, GroupC3),
                "C19" or "C20" or "C25" or "C26" => (0.44, GroupC19),
                "C6" => (0.121, -1),
                "C22" => (0.762, -1),
                _ => (0.0, -1),
            };
            fields.Add(SyntheticField.Hex(name, SyntheticProfile.Scale(Cardinalities[c], cardinalityScale), rate, group));
        }

        return new SyntheticProfile(
            "criteo",
            new TextLayout((byte)'\t', Header: null, LeadingRowId: false),
            fields,
            pairs:
            [
                ("C1", "C2"), ("C2", "C15"), ("C4", "C13"), ("C6", "C11"), ("C7", "C18"), ("C10", "C23"),
                ("C14", "C17"), ("C5", "C22"), ("I5", "C9"), ("I7", "C19"), ("I1", "I13"),
            ],
            triples: [("C5", "C14", "C23"), ("I6", "C8", "C17")],
            appShare: 0,
            teacherLogitStd: 1.4);
    }
}
