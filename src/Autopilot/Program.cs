using System.CommandLine;
using Autopilot.Host.Commands;

var root = new RootCommand("Autopilot: an observability pipeline for services and data.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
