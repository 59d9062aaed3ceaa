using System.CommandLine;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Configuration;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot config</c>: <c>check</c> validates a configuration (file + environment) without starting
/// anything, <c>print</c> shows the effective configuration, <c>keys</c> lists every key with its default and
/// environment variable. Secrets are masked in everything printed.
/// </summary>
internal static class ConfigCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("config", "Validate and show Autopilot's configuration.");
        command.Subcommands.Add(CreateCheck());
        command.Subcommands.Add(CreatePrint());
        command.Subcommands.Add(CreateKeys());
        return command;
    }

    private static Command CreateCheck()
    {
        var file = new Argument<string?>("file") { Description = "Configuration file (YAML or JSON). Default: AUTOPILOT_CONFIG, else ./autopilot.yaml when present.", Arity = ArgumentArity.ZeroOrOne };
        var output = OutputOption("yaml");
        var command = new Command("check", "Validate a configuration file and the AUTOPILOT_ variables without starting; print the effective configuration (secrets masked). Exit 0 valid, 2 invalid (one line per problem).") { file, output };
        command.SetAction((parse, _) => RunAsync(parse, "check", parse.GetValue(file), parse.GetValue(output)!));
        return command;
    }

    private static Command CreatePrint()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file. Default: AUTOPILOT_CONFIG, else ./autopilot.yaml when present." };
        var output = OutputOption("yaml");
        var command = new Command("print", "Print the effective configuration (defaults, file, AUTOPILOT_ variables) with secrets masked, as serve would use it.") { config, output };
        command.SetAction((parse, _) => RunAsync(parse, "print", parse.GetValue(config), parse.GetValue(output)!));
        return command;
    }

    private static Command CreateKeys()
    {
        var output = new Option<string>("--output") { Description = "table (default), json or markdown.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json", "markdown");
        var command = new Command("keys", "List every configuration key with its type, default and environment variable.") { output };
        command.SetAction(async (parse, _) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var keys = ConfigReference.All();
            switch (parse.GetValue(output))
            {
                case "json":
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(new { keys }, s_json)).ConfigureAwait(false);
                    break;
                case "markdown":
                    var md = new StringBuilder("| key | type | default | environment variable | what |\n|---|---|---|---|---|\n");
                    foreach (var k in keys)
                    {
                        md.Append("| `").Append(k.Key).Append("` | ").Append(Cell(k.Type)).Append(" | ").Append(k.Default is null ? "none" : "`" + Cell(k.Default) + "`")
                            .Append(" | `").Append(k.EnvironmentVariable).Append("` | ").Append(Cell(k.Description ?? string.Empty)).Append(" |\n");
                    }

                    await stdout.WriteAsync(md.ToString()).ConfigureAwait(false);
                    break;
                default:
                    var width = keys.Max(k => k.Key.Length);
                    foreach (var k in keys)
                    {
                        await stdout.WriteLineAsync($"{k.Key.PadRight(width)}  {k.Default ?? "(none)",-14}  {k.EnvironmentVariable}").ConfigureAwait(false);
                    }

                    break;
            }

            return 0;
        });
        return command;
    }

    private static Option<string> OutputOption(string fallback)
    {
        var output = new Option<string>("--output") { Description = $"{fallback} (default) or json.", DefaultValueFactory = _ => fallback };
        output.AcceptOnlyFromAmong("yaml", "json");
        return output;
    }

    private static async Task<int> RunAsync(ParseResult parse, string name, string? file, string output)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        var environment = Environment.GetEnvironmentVariables();
        var problems = new List<ConfigProblem>();
        var path = ConfigLoader.FindFile(file, environment, Directory.GetCurrentDirectory(), problems);
        var (options, all) = ConfigLoader.Load(path, environment, flags: null, problems);
        if (all.Count > 0)
        {
            foreach (var problem in all)
            {
                await stderr.WriteLineAsync($"autopilot config {name}: {problem}").ConfigureAwait(false);
            }

            return 2;
        }

        var source = path ?? "built-in defaults (no configuration file)";
        if (output == "json")
        {
            await stdout.WriteLineAsync(ConfigPrinter.ToJson(options)).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync($"# effective configuration: {source}, then AUTOPILOT_ variables; secrets masked").ConfigureAwait(false);
            await stdout.WriteAsync(ConfigPrinter.ToYaml(options)).ConfigureAwait(false);
        }

        if (name == "check")
        {
            await stderr.WriteLineAsync($"autopilot config check: {source} is valid").ConfigureAwait(false);
        }

        return 0;
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
