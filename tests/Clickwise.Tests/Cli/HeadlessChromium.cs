using System.Diagnostics;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Debian's <c>chromium</c>, headless, on a page of this machine: no sandbox (CI runs as root), no GPU, and nothing that
/// reaches the network (no QUIC, background networking, component updates or sync), with a new empty profile per run.
/// Tests using it carry the Chromium category; without the browser they fail saying how to install it.
/// </summary>
internal static class HeadlessChromium
{
    private static string Executable =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("chromium is not installed (apt-get install -y chromium); the Chromium tests need it");

    /// <summary>The page's DOM after its load event and scripts (<c>--dump-dom</c>).</summary>
    public static string DumpDom(string page) => Run(page, "--dump-dom", "--virtual-time-budget=10000");

    /// <summary>A PNG of the page in a window of the given size (<c>--screenshot</c>).</summary>
    public static byte[] Screenshot(string page, int width, int height)
    {
        string png = Path.Combine(Path.GetDirectoryName(page)!, "screenshot.png");
        Run(page, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars");
        return File.ReadAllBytes(png);
    }

    private static string Run(string page, params string[] arguments)
    {
        string profile = Path.Combine(Path.GetDirectoryName(page)!, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
                     .. arguments, new Uri(page).AbsoluteUri])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        // A guard against a hung browser, not a timing assertion.
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish on {page}");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
