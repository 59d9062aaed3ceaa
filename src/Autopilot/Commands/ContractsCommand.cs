using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autopilot.Engines.Contracts;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot contracts check &lt;directory&gt;</c>: loads a directory of data contracts as <c>autopilot serve</c> does and
/// says what is in it and what is wrong, before a server reads it (at start, <c>POST /-/reload</c> or SIGHUP), as
/// <c>promtool check rules</c> does for Prometheus.
/// </summary>
internal static class ContractsCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var command = new Command("contracts", "Data contracts, offline.");
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    private static Command CreateCheck()
    {
        var directory = new Argument<string>("directory") { Description = "Folder of contract files (*.yaml, *.yml), as engines.contract.directory." };
        var output = new Option<string>("--output") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var command = new Command("check", "Load a directory of data contracts as serve does; list them and every error. Exit 0 when all load, 2 otherwise.") { directory, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(directory)!;
            if (!Directory.Exists(path))
            {
                await stderr.WriteLineAsync($"autopilot contracts check: directory '{path}' not found.").ConfigureAwait(false);
                return 2;
            }

            var set = ContractSet.Load(path);
            if (parse.GetValue(output) == "json")
            {
                var body = new
                {
                    valid = set.Errors.Count == 0,
                    contracts = set.Contracts.Select(ContractView.Of).ToList(),
                    errors = set.Errors,
                };
                await stdout.WriteLineAsync(JsonSerializer.Serialize(body, JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                foreach (var c in set.Contracts)
                {
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{c.File}\t{c.Name}\t{c.Urn}\towner {c.Owner ?? "-"}\ttier {c.Tier ?? "-"}\t{c.Schema.Count} field(s)\t{c.Quality.Count} rule(s)")).ConfigureAwait(false);
                }
            }

            foreach (var error in set.Errors)
            {
                await stderr.WriteLineAsync($"autopilot contracts check: {error}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"autopilot contracts check: {set.Contracts.Count} contract(s) load from {path}, {set.Errors.Count} error(s)")).ConfigureAwait(false);
            return set.Errors.Count == 0 ? 0 : 2;
        });
        return command;
    }
}
