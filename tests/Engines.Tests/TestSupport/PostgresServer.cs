using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>
/// A real PostgreSQL on 127.0.0.1 in a temporary directory, for one test run (an xunit collection fixture).
/// Installs Debian's <c>postgresql</c> when it is missing and we are root. When it cannot be installed or
/// started the constructor throws, so every test using it fails with the reason instead of being skipped.
/// Durability is off (<c>fsync=off</c>): these clusters live for one run, and it keeps start-up near a second.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private readonly ConcurrentDictionary<string, string> _databases = new(StringComparer.Ordinal);
    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser;

    public PostgresServer()
    {
        _asPostgresUser = Environment.UserName == "root";
        _bin = FindOrInstallBinaries();
        _directory = Path.Combine(Path.GetTempPath(), "autopilot-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        try
        {
            if (_asPostgresUser)
            {
                // Postgres refuses to run as root; the cluster directory must belong to the user it runs as.
                Run("chown", ["postgres:postgres", _directory]);
            }

            Port = Ports.Free();
            var data = Path.Combine(_directory, "data");
            RunPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"]);
            RunPostgres("pg_ctl", ["-D", data, "-l", Path.Combine(_directory, "log"), "-w", "-t", "30", "-o",
                $"-c listen_addresses=127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -k {_directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"]);
        }
        catch (Exception e)
        {
            var log = ReadLog();
            TryStop();
            throw new InvalidOperationException($"PostgreSQL could not be started for the tests ({e.Message}).{(log.Length > 0 ? " Server log:\n" + log : string.Empty)}", e);
        }

        AdminConnectionString = $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=false;Timeout=10";
    }

    public int Port { get; }

    public string AdminConnectionString { get; }

    /// <summary>A connection string to a database of its own for <paramref name="name"/>, created on first use.</summary>
    public string Database(string name) => _databases.GetOrAdd(name, n =>
    {
        var db = "t_" + new string([.. n.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        db = db.Length > 60 ? db[..60] : db;
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{db}\"; CREATE DATABASE \"{db}\"", connection);
            cmd.ExecuteNonQuery();
        }

        return $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={db};Timeout=10";
    });

    /// <summary>Empties the engine store's tables of a database (tests in one class share it and run one at a time).</summary>
    public static void Truncate(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand("""
            DO $$ DECLARE t text; BEGIN
              FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'autopilot' LOOP
                EXECUTE 'TRUNCATE ' || t;
              END LOOP;
            END $$;
            """, connection);
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        TryStop();
    }

    private void TryStop()
    {
        try
        {
            if (File.Exists(Path.Combine(_directory, "data", "postmaster.pid")))
            {
                RunPostgres("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone; the directory goes below either way.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string ReadLog()
    {
        try
        {
            var log = Path.Combine(_directory, "log");
            return File.Exists(log) ? File.ReadAllText(log) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private void RunPostgres(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgresUser)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static string FindOrInstallBinaries()
    {
        var found = FindBinaries();
        if (found is not null)
        {
            return found;
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and the tests are not running as root to install it: run `sudo apt-get install -y postgresql` or ./test.sh.");
        }

        try
        {
            Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], ("DEBIAN_FRONTEND", "noninteractive"));
        }
        catch (InvalidOperationException)
        {
            // The package lists may be missing on a fresh machine.
            Run("apt-get", ["update", "-qq"]);
            Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], ("DEBIAN_FRONTEND", "noninteractive"));
        }

        return FindBinaries() ?? throw new InvalidOperationException("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb appeared.");
    }

    /// <summary>The newest installed major version, preferring 15 (what the project is tested on).</summary>
    private static string? FindBinaries()
    {
        const string preferred = "/usr/lib/postgresql/15/bin";
        if (File.Exists(Path.Combine(preferred, "initdb")))
        {
            return preferred;
        }

        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            return null;
        }

        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static void Run(string file, string[] arguments, params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
        }
    }
}
