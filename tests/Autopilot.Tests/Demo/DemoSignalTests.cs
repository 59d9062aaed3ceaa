using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Demo;

/// <summary>
/// Ctrl+C and SIGTERM sent to the <c>autopilot demo</c> child process during its live phase: it stops the shop, drains
/// and checkpoints the server, prints the summary marked interrupted and exits with the signal's code; <c>autopilot
/// serve</c> on the same data directory then replays nothing.
/// </summary>
public sealed class DemoSignalTests
{
    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task Demo_SignalDuringTheLivePhase_StopsCleanly_WithTheSignalsExitCode(string signal, int exitCode)
    {
        using var data = new TempDirectory();
        using var demo = new ChildProcess($"demo --http-port {ServeProcessTests.FreePort()} --grpc-port {ServeProcessTests.FreePort()} --data-dir {data.Path} --duration 3m --backfill 5m --faults deploy-errors:payment@2m");
        await demo.WaitForLineAsync(l => l.StartsWith("2. Live", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        demo.Signal(signal);

        Assert.Equal(exitCode, await demo.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("(interrupted)", demo.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"1\s+deploy-errors payment\s+\+2:00\s+not injected", demo.Stdout);
        Assert.Contains("Stopped cleanly", demo.Stdout, StringComparison.Ordinal);

        var http = ServeProcessTests.FreePort();
        using var serve = new ChildProcess($"serve --http-port {http} --grpc-port {ServeProcessTests.FreePort()} --data-dir {data.Path}");
        var replay = await serve.WaitForLineAsync(l => l.Contains("replaying", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        Assert.Equal("0", DemoProcesses.ReplayLine().Match(replay).Groups[1].Value);

        // Stopped once it is up, as a user would (a signal while it is still opening the data directory is another test's business).
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await DemoProcesses.PollAsync(async () => await client.GetStringAsync(new Uri($"http://127.0.0.1:{http}/healthz")), TimeSpan.FromMinutes(1), serve);
        serve.Signal("TERM");
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromMinutes(1)));
    }
}
