using SkiaSharp;

namespace Clickwise.Tests.Experiments.Figures;

/// <summary>What a PNG shows, decoded: a figure must draw something, not a blank canvas.</summary>
internal static class Pixels
{
    /// <summary>The share of pixels that differ from the top-left (background) pixel.</summary>
    public static double InkShare(byte[] png)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("not a decodable PNG");
        SKColor background = bitmap.GetPixel(0, 0);
        long ink = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                ink += bitmap.GetPixel(x, y) != background ? 1 : 0;
            }
        }

        return (double)ink / (bitmap.Width * bitmap.Height);
    }

    /// <summary>Distinct colours in the image: a chart has axes, text, and a coloured series.</summary>
    public static int Colours(byte[] png)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("not a decodable PNG");
        return bitmap.Pixels.Distinct().Count();
    }

    public static void AssertNotBlank(string pngPath)
    {
        byte[] png = File.ReadAllBytes(pngPath);
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{pngPath} is not a PNG");
        double ink = InkShare(png);
        Assert.True(ink > 0.01, $"{pngPath}: only {ink:P2} of its pixels differ from the background");
        Assert.True(Colours(png) > 16, $"{pngPath}: {Colours(png)} colours, a blank or flat image");
    }
}
