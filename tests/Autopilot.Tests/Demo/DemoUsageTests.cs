using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Demo;

/// <summary><c>autopilot demo</c>'s options: usage errors (exit 2, one line naming the problem) and ports.</summary>
public sealed class DemoUsageTests
{
    [Fact]
    public async Task Demo_DefaultHttpPortTaken_UsesAFreePortAndSaysSo()
    {
        // Holds 4318 unless something else already does; either way the default is taken.
        TcpListener? holder = null;
        try
        {
            holder = new TcpListener(IPAddress.Loopback, 4318);
            holder.Start();
        }
        catch (SocketException)
        {
            holder = null;
        }

        try
        {
            var (code, stdout, stderr) = await DemoProcesses.RunAsync("demo", "--grpc-port", "0", "--faults", "none", "--duration", "10s", "--backfill", "5m", "--output", "json");
            Assert.True(code == 0, $"exit {code}\n{stderr}");
            Assert.Contains("port 4318 is in use", stderr, StringComparison.Ordinal);
            using var summary = JsonDocument.Parse(stdout);
            var port = new Uri(summary.RootElement.GetProperty("dashboard").GetString()!).Port;
            Assert.NotEqual(4318, port);
            Assert.Contains($"http-port {port} is used instead", stderr, StringComparison.Ordinal);
            Assert.False(summary.RootElement.GetProperty("dataDirectoryKept").GetBoolean());
            Assert.False(Directory.Exists(summary.RootElement.GetProperty("dataDirectory").GetString()), "the temporary data directory was not deleted");
            Assert.Empty(summary.RootElement.GetProperty("faults").EnumerateArray());
        }
        finally
        {
            holder?.Stop();
        }
    }

    [Theory]
    [InlineData("--faults meltdown", "--faults: unknown fault kind 'meltdown'")]
    [InlineData("--faults slow-db:shop.nothing", "slow-db cannot target 'shop.nothing'; targets: shop.inventory")]
    [InlineData("--duration soon", "--duration 'soon' is not a duration")]
    [InlineData("--duration 5s", "--duration must be between 10s and 24h")]
    [InlineData("--grace 1h", "--grace must be between 0s and 30m")]
    [InlineData("--grace later", "--grace 'later' is not a duration")]
    [InlineData("--faults latency:payment@3m", "not within the --duration of 2m")]
    [InlineData("--http-port 7000 --grpc-port 7000", "--http-port and --grpc-port must differ")]
    [InlineData("--output yaml", "yaml")]
    public async Task Demo_BadOption_ExitsWithUsageErrorNamingIt(string arguments, string expected)
    {
        var (code, _, stderr) = await DemoProcesses.RunAsync(["demo", .. arguments.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_DataDirectoryNotEmpty_ExitsWithUsageError()
    {
        using var data = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(data.Path, "keep.txt"), "mine");
        var (code, _, stderr) = await DemoProcesses.RunAsync("demo", "--data-dir", data.Path);
        Assert.Equal(2, code);
        Assert.Contains("is not empty", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data.Path, "keep.txt")));
    }

    [Fact]
    public async Task Demo_ChosenPortTaken_ExitsWithUsageErrorNamingTheFlag()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var (code, _, stderr) = await DemoProcesses.RunAsync("demo", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "0");
        Assert.Equal(2, code);
        Assert.Contains($"--http-port {port}: the port is in use", stderr, StringComparison.Ordinal);
    }
}
