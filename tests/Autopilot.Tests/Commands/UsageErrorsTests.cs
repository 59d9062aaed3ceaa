using Autopilot.Host.Commands;

namespace Autopilot.Host.Tests.Commands;

public sealed class UsageErrorsTests
{
    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CommandRun.RunAsync([ServeCommand.Create(), DemoCommand.Create(), ReplayCommand.Create(), BenchCommand.Create()], args);

    [Theory]
    [InlineData("--grpc-port: 'abc' is not an integer.", "serve", "--grpc-port", "abc")]
    [InlineData("--grpc-port: '99999999999' is out of range (at most 2147483647).", "serve", "--grpc-port", "99999999999")]
    [InlineData("--shards: '1.5' is not a whole number.", "replay", "x.json", "--shards", "1.5")]
    [InlineData("--rate: 'fast' is not a number.", "demo", "--rate", "fast")]
    [InlineData("--mode: 'zzz' is not one of surprise, resonance.", "bench", "nab", "--data", "d", "--out", "o", "--mode", "zzz")]
    public async Task WrongValue_ExitsTwo_OneLineNamingOptionAndWhatWasExpected(string expected, params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.Trim());
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherUsageErrors_KeepTheirMessages()
    {
        var (code, _, stderr) = await RunAsync("serve", "--bogus");

        Assert.Equal(2, code);
        Assert.Equal("Unrecognized command or argument '--bogus'.", stderr.Trim());
    }
}
