namespace Clickwise.Data.Synthetic;

/// <summary>
/// Avazu rows are either site or app traffic: the other side's fields then hold one fixed placeholder
/// category (site_id 85f751fd on app rows, app_id ecad2386 on site rows). Rank 0 is that placeholder.
/// </summary>
internal enum SiteAppSide
{
    None,
    Site,
    App,
}
