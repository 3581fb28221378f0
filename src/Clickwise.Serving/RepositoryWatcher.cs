using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Clickwise.Serving;

/// <summary>
/// Loads every model at start, then rescans the repository every <see cref="ServeOptions.PollInterval"/> and on SIGHUP.
/// On SIGTERM (the host stopping) readiness turns false first and the server keeps answering for the drain delay (every
/// response closing its connection), then stops accepting while in-flight requests finish within the grace period.
/// </summary>
internal sealed class RepositoryWatcher(ModelSlots slots, ServeOptions options) : BackgroundService, IHostedLifecycleService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Rescans now instead of at the next poll.</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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

    /// <summary>Runs before the web server stops accepting: the drain delay.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        slots.BeginShutdown();
        return Task.Delay(options.DrainDelay, cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await slots.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
