using System.CommandLine;
using Autopilot.Host.Commands;

namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>Runs the real <c>bench</c> command tree with its output captured, as the CLI tests of its subcommands need.</summary>
internal static class BenchCli
{
    public static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(BenchCommand.Create());
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
