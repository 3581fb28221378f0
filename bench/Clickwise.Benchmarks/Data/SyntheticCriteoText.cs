using System.Globalization;
using System.Text;

namespace Clickwise.Benchmarks.Data;

/// <summary>Criteo-shaped TSV for parse benchmarks: ~25% positives, heavy-tailed counts with missing values, 8-hex tokens.</summary>
internal static class SyntheticCriteoText
{
    public static byte[] Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(rows * 260);
        for (int r = 0; r < rows; r++)
        {
            sb.Append(random.Next(4) == 0 ? '1' : '0');
            for (int i = 0; i < 13; i++)
            {
                sb.Append('\t');
                if (random.Next(5) > 0)
                {
                    // I2 holds small negative values in the real data.
                    int value = i == 1 ? random.Next(-3, 500) : (int)Math.Exp(random.NextDouble() * 10);
                    sb.Append(value.ToString(CultureInfo.InvariantCulture));
                }
            }

            for (int i = 0; i < 26; i++)
            {
                sb.Append('\t');
                if (random.Next(8) > 0)
                {
                    sb.Append(((uint)random.Next(0, 1 << 20) * 2654435761u).ToString("x8", CultureInfo.InvariantCulture));
                }
            }

            sb.Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
