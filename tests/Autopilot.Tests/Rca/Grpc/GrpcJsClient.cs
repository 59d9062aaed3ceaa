using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>
/// The independent client: <c>tests/Autopilot.Tests/Rca/GrpcJsClient/rca-client.js</c> on npm's <c>@grpc/grpc-js</c>
/// and <c>@grpc/proto-loader</c>, which loads the published <c>protos/autopilot/rca/v1/rca.proto</c>. Its packages are
/// installed with <c>npm ci</c> from the committed lock file into that folder's <c>node_modules</c> (git-ignored) and
/// kept there: a stamp with the lock file's hash says whether they are current.
/// </summary>
internal static class GrpcJsClient
{
    private const string Stamp = ".autopilot-lock.sha256";
    private static readonly SemaphoreSlim s_install = new(1, 1);

    public static string Root { get; } = FindRoot();

    public static string Folder => Path.Combine(Root, "tests", "Autopilot.Tests", "Rca", "GrpcJsClient");

    public static string Proto => Path.Combine(Root, "protos", "autopilot", "rca", "v1", "rca.proto");

    /// <summary>Runs <c>npm ci</c> unless node_modules already holds what package-lock.json says; fails the test with the reason otherwise.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Folder, "package-lock.json"))));
            var stamp = Path.Combine(Folder, "node_modules", Stamp);
            if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == hash)
            {
                return;
            }

            var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                Assert.Fail($"npm ci in {Folder} failed (exit {code}): the RCA gRPC interop test needs @grpc/grpc-js and @grpc/proto-loader from the npm registry; is it reachable from this machine?\n{Tail(output)}");
            }

            await File.WriteAllTextAsync(stamp, hash + "\n");
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>Starts <c>node rca-client.js</c> with the given arguments, stdout and stderr redirected.</summary>
    public static Process Start(params string[] arguments)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("rca-client.js");
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"cannot run node ({e.Message}): the RCA gRPC interop test needs Node.js on the PATH (./test.sh installs Debian's nodejs and npm when missing)");
            throw;
        }
    }

    /// <summary>Runs <paramref name="file"/> in the client's folder to its end (or the timeout): its exit code, stdout and stderr.</summary>
    internal static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"cannot run {file} ({e.Message}): the RCA gRPC interop test needs Node.js and npm on the PATH (./test.sh installs Debian's nodejs and npm when missing)");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} {string.Join(' ', arguments)} did not finish within {timeout.TotalMinutes} min\n{await stderr}");
            }

            return (process.ExitCode, new StringBuilder(await stdout).Append(await stderr).ToString());
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Autopilot.sln above {AppContext.BaseDirectory}");
    }
}
