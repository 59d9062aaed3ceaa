using System.CommandLine;
using Autopilot.Host.Commands;

var root = new RootCommand("Autopilot: an observability pipeline for services and data.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
root.Subcommands.Add(ContractsCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.OnCall.HealthCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.OnCall.TriageCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.OnCall.SloCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.OnCall.CanaryGateCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(AuthorCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.Rca.RcaCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.Agents.ScoutCommand.Create());
root.Subcommands.Add(Autopilot.Host.Commands.Gate.GateCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // A usage error is exit code 2 for every command (README, "CLI"), with one line per problem.
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("autopilot: " + UsageErrors.Describe(error)).ConfigureAwait(false);
    }

    return 2;
}

// demo and serve handle Ctrl+C and SIGTERM themselves (demo with its own handlers, serve through the host's console
// lifetime, which drains within `shutdownTimeout`): System.CommandLine would end the process with 143 two seconds after
// the signal, before the pipeline is drained and checkpointed (a loaded machine's serve took longer than that).
var invocation = new InvocationConfiguration();
if (parse.CommandResult.Command.Name is "demo" or "serve")
{
    invocation.ProcessTerminationTimeout = null;
}

return await parse.InvokeAsync(invocation).ConfigureAwait(false);
