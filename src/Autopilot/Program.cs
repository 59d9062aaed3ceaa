using System.CommandLine;
using Autopilot.Host.Commands;

var root = new RootCommand("Autopilot: an observability pipeline for services and data.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
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
        await Console.Error.WriteLineAsync("autopilot: " + error.Message).ConfigureAwait(false);
    }

    return 2;
}

// demo handles Ctrl+C and SIGTERM itself: System.CommandLine would end the process 2 s after the signal, before its
// simulation is flushed and its server drained and checkpointed.
var invocation = new InvocationConfiguration();
if (parse.CommandResult.Command.Name == "demo")
{
    invocation.ProcessTerminationTimeout = null;
}

return await parse.InvokeAsync(invocation).ConfigureAwait(false);
