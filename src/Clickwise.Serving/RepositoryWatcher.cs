using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Clickwise.Serving;

/// <summary>
/// Loads every model at start, then rescans the repository every <see cref="ServeOptions.PollInterval"/> and on SIGHUP.
/// On SIGTERM (the host stopping) readiness turns false first, then in-flight requests finish within the grace period.
/// </summary>
internal sealed class RepositoryWatcher(ModelSlots slots, ServeOptions options, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Rescans now instead of at the next poll.</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStopping.Register(slots.BeginShutdown);
        using PosixSignalRegistration? hangup = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true; // SIGHUP reloads; it does not end the process
            Wake();
        });
        await Task.Yield();
        slots.ScanAll();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(options.PollInterval > TimeSpan.Zero ? options.PollInterval : Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            slots.ScanAll();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await slots.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
