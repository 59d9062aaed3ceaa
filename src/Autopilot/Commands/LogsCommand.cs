using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Autopilot.Engines.Logs;

namespace Autopilot.Host.Commands;

/// <summary><c>autopilot logs</c>: offline runs of the log template miner the anomaly engine uses per shard.</summary>
internal static class LogsCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("logs", "Mine log templates offline.");
        command.Subcommands.Add(CreateTemplates());
        command.Subcommands.Add(CreateAccuracy());
        return command;
    }

    private static Command CreateTemplates()
    {
        var input = new Option<string>("--input") { Description = "File with one log message per line.", Required = true };
        var output = new Option<string>("--out") { Description = "CSV to write: line,template_id,template (line is 1-based).", Required = true };
        var command = new Command("templates", "Assign every line of a file to a log template and write the assignment as CSV.") { input, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            if (!File.Exists(inputPath))
            {
                await stderr.WriteLineAsync($"autopilot logs templates: input file '{inputPath}' does not exist.").ConfigureAwait(false);
                return 2;
            }

            StreamWriter writer;
            try
            {
                writer = new StreamWriter(outputPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await stderr.WriteLineAsync($"autopilot logs templates: cannot write '{outputPath}': {e.Message}").ConfigureAwait(false);
                return 2;
            }

            await using (writer.ConfigureAwait(false))
            {
                // Ids are final when assigned; template texts are written in their final, most general form.
                var miner = new LogTemplateMiner();
                var ids = new List<int>();
                var texts = new Dictionary<int, string>();
                try
                {
                    using var reader = new StreamReader(inputPath);
                    while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                    {
                        var match = miner.Process(line);
                        ids.Add(match.TemplateId);
                        texts[match.TemplateId] = match.Template;
                    }

                    await writer.WriteLineAsync("line,template_id,template").ConfigureAwait(false);
                    for (var i = 0; i < ids.Count; i++)
                    {
                        var id = miner.ResolveId(ids[i]);
                        var text = miner.TryGetTemplate(id, out var current) ? current : texts[ids[i]];
                        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{i + 1},{id},{CsvQuote(text)}")).ConfigureAwait(false);
                    }
                }
                catch (IOException e)
                {
                    await stderr.WriteLineAsync($"autopilot logs templates: {e.Message}").ConfigureAwait(false);
                    return 2;
                }

                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"lines: {ids.Count}, templates: {miner.TemplateCount}, written to {outputPath}")).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Command CreateAccuracy()
    {
        var loghub = new Option<string>("--loghub") { Description = "LogHub-2k folder holding <Sys>/<Sys>_2k.log_structured_corrected.csv.", Required = true };
        var format = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("accuracy", "Grouping Accuracy of the miner (one default configuration) on the LogHub-2k systems.") { loghub, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var directory = parse.GetValue(loghub)!;
            IReadOnlyList<LogHubSystemResult> results;
            try
            {
                results = LogHubAccuracy.Run(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"autopilot logs accuracy: cannot read the LogHub data under '{directory}': {e.Message}").ConfigureAwait(false);
                return 2;
            }

            double mean = 0.0, meanAtArrival = 0.0;
            foreach (var r in results)
            {
                mean += r.GroupingAccuracy / results.Count;
                meanAtArrival += r.GroupingAccuracyAtArrival / results.Count;
            }

            if (parse.GetValue(format) == "json")
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new { systems = results, mean, meanAtArrival }, JsonOptions)).ConfigureAwait(false);
                return 0;
            }

            var table = new StringBuilder();
            table.AppendLine("| system | lines | true templates | mined templates | GA | GA at arrival | Drain (published) |");
            table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            var drainMean = 0.0;
            foreach (var r in results)
            {
                var drain = LogHubAccuracy.PublishedDrain[r.System];
                drainMean += drain / results.Count;
                table.AppendLine(CultureInfo.InvariantCulture, $"| {r.System} | {r.Lines} | {r.TrueTemplates} | {r.MinedTemplates} | {r.GroupingAccuracy:F3} | {r.GroupingAccuracyAtArrival:F3} | {drain:F3} |");
            }

            table.Append(CultureInfo.InvariantCulture, $"| **mean** | | | | **{mean:F3}** | {meanAtArrival:F3} | {drainMean:F3} |");
            await stdout.WriteLineAsync(table.ToString()).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static string CsvQuote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
