using System.CommandLine;
using Autopilot.Host.Commands;

namespace Autopilot.Host.Tests.Commands;

/// <summary>Runs CLI commands in this process with their output captured, as Program.cs runs them.</summary>
internal static class CommandRun
{
    /// <summary>Parse errors are exit 2 with one line each, as Program.cs answers them; otherwise the command's own code.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(IEnumerable<Command> commands, IReadOnlyList<string> args)
    {
        var root = new RootCommand();
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return (2, string.Empty, string.Join('\n', parse.Errors.Select(UsageErrors.Describe)));
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
