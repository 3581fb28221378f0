namespace Clickwise.Data.Readers;

/// <summary>Avazu's <c>hour</c> (YYMMDDHH, years 20YY): validated, and the weekday derived as FuxiCTR does.</summary>
internal static class HourOfWeek
{
    /// <summary>
    /// True for a valid YYMMDDHH; <paramref name="weekday"/> is <see cref="DayOfWeek"/> (0 = Sunday). The hour of
    /// day is the last two bytes of the text.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out int weekday)
    {
        weekday = 0;
        if (text.Length != 8 || !Utf8Number.IsDigits(text))
        {
            return false;
        }

        int year = 2000 + Two(text, 0);
        int month = Two(text, 2);
        int day = Two(text, 4);
        int hour = Two(text, 6);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23)
        {
            return false;
        }

        weekday = (int)new DateOnly(year, month, day).DayOfWeek;
        return true;
    }

    private static int Two(ReadOnlySpan<byte> text, int at) => ((text[at] - '0') * 10) + (text[at + 1] - '0');
}
