using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Host.Hosting;
using Autopilot.Host.Replay;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot replay &lt;files…&gt;</c>: feeds recorded OTLP and OpenLineage files through the same
/// pipeline as <c>serve</c> (log, inventory, engines on the files' own timestamps), as fast as it can,
/// then prints the findings and incidents. Exit 0, 1 when some input was refused, 2 on a usage error.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "OTLP (.json, .jsonl, .pb) and OpenLineage (.json, .jsonl) files, or directories of them (read in path order).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Keep the replay's log and state here (default: a temporary directory, deleted afterwards)." };
        var shards = new Option<int>("--shards") { Description = "Engine shards.", DefaultValueFactory = _ => new ServerOptions().Engines.Shards };
        var command = new Command("replay", "Replay recorded telemetry and lineage through the engines and print findings and incidents.") { files, output, dataDir, shards };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var format = parse.GetValue(output);
            if (format is not ("table" or "json"))
            {
                await Console.Error.WriteLineAsync($"autopilot replay: --output must be table or json, got '{format}'").ConfigureAwait(false);
                return 2;
            }

            IReadOnlyList<string> paths;
            try
            {
                paths = ReplayFiles.Expand(parse.GetValue(files) ?? []);
            }
            catch (FileNotFoundException e)
            {
                await Console.Error.WriteLineAsync($"autopilot replay: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var requestedDir = parse.GetValue(dataDir);
            var directory = requestedDir ?? Path.Combine(Path.GetTempPath(), "autopilot-replay-" + Guid.NewGuid().ToString("N"));
            try
            {
                var options = new ServerOptions { DataDirectory = directory };
                options.Engines.Shards = parse.GetValue(shards);
                options.Engines.FlushOnComplete = true;
                options.Engines.Retention = TimeSpan.FromDays(36_500); // a recording longer than 400 days prints all of it
                options.Validate();
                var (refused, findings, incidents) = await RunAsync(options, paths, cancellationToken).ConfigureAwait(false);
                if (format == "json")
                {
                    Console.WriteLine(JsonSerializer.Serialize(new { findings, incidents, refused }, EngineJson.Options));
                }
                else
                {
                    PrintTable(findings, incidents, refused);
                }

                return refused.Count > 0 ? 1 : 0;
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"autopilot replay: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            finally
            {
                if (requestedDir is null && Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        });
        return command;
    }

    internal static async Task<(List<string> Refused, IReadOnlyList<Finding> Findings, IReadOnlyList<Incident> Incidents)> RunAsync(ServerOptions options, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var refused = new List<string>();
        var runtime = await AutopilotRuntime.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (runtime.ConfigureAwait(false))
        {
            foreach (var path in paths)
            {
                IReadOnlyList<ReplayFiles.Request> requests;
                try
                {
                    requests = ReplayFiles.Read(path);
                }
                catch (InvalidRequestException e)
                {
                    refused.Add(e.Message);
                    continue;
                }

                foreach (var request in requests)
                {
                    try
                    {
                        var result = await runtime.Ingest.AcceptAsync(request.Signal, "replay", request.Format, request.Body, cancellationToken).ConfigureAwait(false);
                        if (result.RejectedItems > 0)
                        {
                            refused.Add($"{request.Origin}: {result.RejectedItems} item(s) rejected: {result.FirstError}");
                        }
                    }
                    catch (InvalidRequestException e)
                    {
                        refused.Add($"{request.Origin}: {e.Message}");
                    }
                    catch (OverloadedException)
                    {
                        // Replay has no client to retry: wait for the pipeline and try again.
                        await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                        await runtime.Ingest.AcceptAsync(request.Signal, "replay", request.Format, request.Body, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            // Draining closes the last windows (FlushOnComplete) and writes every finding.
            await runtime.Ingest.StopAsync(options.ShutdownTimeout).ConfigureAwait(false);
            var findings = runtime.Store.QueryFindings(new FindingQuery(Limit: 10_000));
            var incidents = runtime.Store.QueryIncidents(new IncidentQuery(Limit: 10_000));
            return (refused, findings, incidents);
        }
    }

    private static void PrintTable(IReadOnlyList<Finding> findings, IReadOnlyList<Incident> incidents, List<string> refused)
    {
        foreach (var line in refused)
        {
            Console.Error.WriteLine($"refused: {line}");
        }

        Console.WriteLine($"Findings ({findings.Count})");
        Console.WriteLine($"  {"time (UTC)",-20} {"severity",-9} {"kind",-22} {"urn",-50} summary");
        foreach (var f in findings)
        {
            Console.WriteLine($"  {Time(f.TimeUnixNano),-20} {f.Severity.ToString().ToLowerInvariant(),-9} {f.Kind,-22} {f.Urn,-50} {f.Summary}");
        }

        Console.WriteLine();
        Console.WriteLine($"Incidents ({incidents.Count})");
        Console.WriteLine($"  {"id",-26} {"severity",-9} {"status",-9} {"opened (UTC)",-20} summary");
        foreach (var i in incidents)
        {
            Console.WriteLine($"  {i.Id,-26} {i.Severity.ToString().ToLowerInvariant(),-9} {i.Status.ToString().ToLowerInvariant(),-9} {Time(i.OpenedUnixNano),-20} {i.Summary}");
            foreach (var root in i.SuspectedRoots.Take(3))
            {
                Console.WriteLine($"      suspect {root.Urn} ({root.Score:0.00}): {string.Join("; ", root.Reasons)}");
            }
        }
    }

    private static string Time(long unixNano) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
