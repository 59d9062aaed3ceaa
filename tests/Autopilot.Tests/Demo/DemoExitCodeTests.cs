using System.Text.Json;

namespace Autopilot.Host.Tests.Demo;

/// <summary>
/// <c>autopilot demo</c> exits 1 when an injected fault became no incident. A stopped job cannot be found within this
/// schedule: the freshness engine calls a dataset stale no sooner than 5 minutes (event time) after its last write,
/// and the live phase ends after its 10 s (<c>--grace 0s</c>: no waiting for the fault's incident); 5 minutes of history leave the latency and volume
/// detectors unscored, so nothing else flags the job's outputs either.
/// </summary>
public sealed class DemoExitCodeTests
{
    [Fact]
    public async Task Demo_FaultNotFound_ExitsOne_AndTheSummarySaysWhich()
    {
        using var demo = new ChildProcess($"demo --http-port 0 --grpc-port 0 --duration 10s --grace 0s --backfill 5m --faults stale-dataset@1s --output json");
        Assert.Equal(1, await demo.WaitForExitAsync(TimeSpan.FromMinutes(3)));

        using var summary = JsonDocument.Parse(demo.Stdout);
        var root = summary.RootElement;
        Assert.False(root.GetProperty("interrupted").GetBoolean());
        Assert.Equal(1, root.GetProperty("injected").GetInt32());
        Assert.Equal(0, root.GetProperty("detected").GetInt32());
        var fault = Assert.Single(root.GetProperty("faults").EnumerateArray());
        Assert.Equal("stale-dataset", fault.GetProperty("kind").GetString());
        Assert.True(fault.GetProperty("injected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fault.GetProperty("incident").ValueKind);
        Assert.Contains("Stopped cleanly", demo.Stderr, StringComparison.Ordinal);
    }
}
