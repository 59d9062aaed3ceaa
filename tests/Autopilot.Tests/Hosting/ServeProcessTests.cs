using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Autopilot.Host.Tests.Hosting;

/// <summary>Runs the real <c>autopilot</c> executable as a child process, as a user would.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_AnswersHealthz_AndExitsCleanlyOnSigterm()
    {
        var (grpcPort, httpPort) = (FreePort(), FreePort());
        using var dataDir = new TempDirectory();
        using var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var body = await AutopilotProcess.PollAsync(async () => await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz")), TimeSpan.FromSeconds(30));
        Assert.Equal("ok\n", body);

        AutopilotProcess.SendSigterm(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "autopilot serve did not exit within 20 s of SIGTERM");
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void Serve_WithSamePortForBoth_ExitsWithUsageErrorNamingTheKey()
    {
        using var process = AutopilotProcess.Start("serve --grpc-port 4999 --http-port 4999");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        var stderr = process.StandardError.ReadToEnd();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("grpcPort and httpPort must differ", stderr, StringComparison.Ordinal);
    }

    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A loopback port free right now and never handed out before in this process: the kernel may give a port just
    /// released to the next caller, so two picks for one server (gRPC and HTTP) could otherwise be the same port.
    /// </summary>
    internal static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Handed)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
