using System.Text;
using Clickwise.IO;
using ScottPlot;

namespace Clickwise.Experiments.Figures;

/// <summary>
/// The one way a figure leaves the program: NAME.svg and NAME.png side by side in a directory, at one size, each written
/// atomically through <see cref="OutputFile"/>.
/// </summary>
public static class FigureFile
{
    public const int Width = 800;
    public const int Height = 500;

    /// <summary>Writes NAME.svg and NAME.png into <paramref name="directory"/> and returns the PNG's path.</summary>
    public static string Write(Plot plot, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        OutputFile.WriteAllBytes(path + ".svg", Encoding.UTF8.GetBytes(plot.GetSvgXml(Width, Height)));
        OutputFile.WriteAllBytes(path + ".png", Png(plot));
        return path + ".png";
    }

    /// <summary>The figure as PNG bytes, for a page that inlines it.</summary>
    public static byte[] Png(Plot plot) => plot.GetImageBytes(Width, Height, ImageFormat.Png);
}
