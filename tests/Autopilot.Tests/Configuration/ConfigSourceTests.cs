using System.Collections;
using Autopilot.Host.Configuration;
using Autopilot.Host.Hosting;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Configuration;

/// <summary>
/// A reload reads the configuration again: it puts changed threshold rules in force and names every other key that changed
/// since start (those need a restart).
/// </summary>
public sealed class ConfigSourceTests
{
    private const string Start = """
        httpPort: 5318
        engines:
          anomaly:
            rules:
              - { name: p99, expression: "p99 > 1.5s for 60s" }
        """;

    [Fact]
    public void Check_TheSameSources_NothingChanged()
    {
        using var dir = new TempDirectory();
        var (source, _) = Loaded(dir, Start, new Hashtable { ["AUTOPILOT_ENGINES__SHARDS"] = "2" });

        var change = source.Check();

        Assert.Empty(change.Applied);
        Assert.Empty(change.RestartRequired);
        Assert.Empty(change.Errors);
    }

    [Fact]
    public void Check_AnEditedFile_AppliesTheRules_AndNamesEveryOtherChangedKey()
    {
        using var dir = new TempDirectory();
        var (source, running) = Loaded(dir, Start, []);
        File.WriteAllText(Path.Combine(dir.Path, "autopilot.yaml"), """
            httpPort: 5319
            engines:
              anomaly:
                rules:
                  - { name: p99, expression: "p99 > 2s for 60s" }
              freshness:
                minObservations: 7
            """);

        var change = source.Check();

        Assert.Equal(["engines.anomaly.rules"], change.Applied);
        Assert.Equal(["engines.freshness.minObservations", "httpPort"], change.RestartRequired);
        Assert.Empty(change.Errors);
        Assert.Equal(2000, Assert.Single(running.Engines.Anomaly.RuleSet.Current).Threshold);
        Assert.Equal(1, running.Engines.Anomaly.RuleSet.Reloads);

        // Applied is in force: read again, only what still needs a restart is named.
        var again = source.Check();
        Assert.Empty(again.Applied);
        Assert.Equal(["engines.freshness.minObservations", "httpPort"], again.RestartRequired);
    }

    [Fact]
    public void Check_RulesWhereNoneRanAtStart_NeedARestart()
    {
        using var dir = new TempDirectory();
        var (source, running) = Loaded(dir, "httpPort: 5318\n", []);
        File.WriteAllText(Path.Combine(dir.Path, "autopilot.yaml"), Start);

        var change = source.Check();

        Assert.Empty(change.Applied);
        Assert.Equal(["engines.anomaly.rules"], change.RestartRequired);
        Assert.Empty(running.Engines.Anomaly.RuleSet.Current);
    }

    [Fact]
    public void Check_AFileThatNoLongerLoads_SaysWhy()
    {
        using var dir = new TempDirectory();
        var (source, _) = Loaded(dir, Start, []);
        File.WriteAllText(Path.Combine(dir.Path, "autopilot.yaml"), "httpPort: lots\n");

        var change = source.Check();

        Assert.Empty(change.RestartRequired);
        Assert.Contains("httpPort", Assert.Single(change.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AFileDeletedSinceStart_SaysSo()
    {
        using var dir = new TempDirectory();
        var (source, _) = Loaded(dir, Start, []);
        File.Delete(Path.Combine(dir.Path, "autopilot.yaml"));

        var change = source.Check();

        Assert.Empty(change.RestartRequired);
        Assert.Contains("autopilot.yaml", Assert.Single(change.Errors), StringComparison.Ordinal);
    }

    private static (ConfigSource Source, ServerOptions Running) Loaded(TempDirectory dir, string yaml, Hashtable environment)
    {
        var file = Path.Combine(dir.Path, "autopilot.yaml");
        File.WriteAllText(file, yaml);
        var (options, problems) = ConfigLoader.Load(file, environment, flags: null);
        Assert.Empty(problems);
        return (new ConfigSource(file, environment, flags: null, options), options);
    }
}
