namespace Clickwise.Data.Synthetic;

/// <summary>
/// Avazu (Kaggle 2014 train.csv): header, then id (a random UInt64), click, hour (YYMMDDHH over ten days,
/// rows in time order), and 21 categorical columns, comma-separated, none missing. Cardinalities are the
/// real ones over 40M rows; the head tokens and the small integer codes are real values; rows are site or
/// app traffic like the original (the other side holds its placeholder ids).
/// </summary>
internal static class AvazuProfile
{
    public static SyntheticProfile Create(double cardinalityScale)
    {
        SyntheticField Hex(string name, long cardinality, params string[] head) =>
            SyntheticField.Hex(name, SyntheticProfile.Scale(cardinality, cardinalityScale)) with { Head = head };

        var fields = new List<SyntheticField>
        {
            new() { Name = "hour", Kind = SyntheticFieldKind.Hour },
            SyntheticField.Ints("C1", 1005, 1002, 1010, 1012, 1007, 1001, 1008) with { TopShare = 0.85 },
            SyntheticField.Ints("banner_pos", 0, 1, 7, 2, 4, 5, 3) with { TopShare = 0.55 },
            Hex("site_id", 4737, "85f751fd", "1fbe01fe", "e151e245", "d9750ee7") with { Side = SiteAppSide.Site },
            Hex("site_domain", 7745, "c4e18dd6", "f3845767", "7e091613") with { Side = SiteAppSide.Site },
            Hex("site_category", 26, "50e219e0", "28905ebd", "f028772b", "3e814130") with { Side = SiteAppSide.Site },
            Hex("app_id", 8552, "ecad2386", "92f5800b", "e2fcccd2") with { Side = SiteAppSide.App },
            Hex("app_domain", 559, "7801e8d9", "2347f47a", "ae637522") with { Side = SiteAppSide.App },
            Hex("app_category", 36, "07d7df22", "0f2161f8", "cef3e649") with { Side = SiteAppSide.App },
            Hex("device_id", 2686408, "a99f214a") with { TopShare = 0.8 },
            Hex("device_ip", 6729486),
            Hex("device_model", 8251, "8a4875bd", "1f0bc64f", "d787e91b"),
            SyntheticField.Ints("device_type", 1, 0, 4, 5, 2) with { TopShare = 0.85 },
            SyntheticField.Ints("device_conn_type", 0, 2, 3, 5),
            SyntheticField.Range("C14", 2626, first: 375, span: 23678),
            SyntheticField.Ints("C15", 320, 300, 216, 728, 120, 1024, 480, 768) with { TopShare = 0.85 },
            SyntheticField.Ints("C16", 50, 250, 36, 480, 90, 20, 768, 320, 1024) with { TopShare = 0.85 },
            SyntheticField.Range("C17", 435, first: 112, span: 2647),
            SyntheticField.Ints("C18", 0, 3, 2, 1),
            SyntheticField.Range("C19", 68, first: 33, span: 1927),
            SyntheticField.Range("C20", 172, first: 100000, span: 251) with { Head = ["-1"], TopShare = 0.35 },
            SyntheticField.Range("C21", 60, first: 1, span: 255),
        };

        return new SyntheticProfile(
            "avazu",
            new TextLayout(
                (byte)',',
                "id,click,hour,C1,banner_pos,site_id,site_domain,site_category,app_id,app_domain,app_category,"
                + "device_id,device_ip,device_model,device_type,device_conn_type,C14,C15,C16,C17,C18,C19,C20,C21",
                LeadingRowId: true),
            fields,
            pairs:
            [
                ("site_id", "device_model"), ("app_id", "C14"), ("site_category", "banner_pos"),
                ("C17", "device_conn_type"), ("app_category", "hour"), ("C21", "C16"), ("site_domain", "C19"),
                ("device_ip", "C18"),
            ],
            triples: [("C1", "banner_pos", "device_type"), ("site_category", "C15", "hour")],
            appShare: 0.36,
            teacherLogitStd: 1.3);
    }
}
