using System.Collections;
using Autopilot.Host.Configuration;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Configuration;

/// <summary>A reload reads the configuration again and names the keys that changed since start (it applies none of them).</summary>
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
        var source = Loaded(dir, Start, new Hashtable { ["AUTOPILOT_ENGINES__SHARDS"] = "2" });

        var change = source.Check();

        Assert.Empty(change.RestartRequired);
        Assert.Empty(change.Errors);
    }

    [Fact]
    public void Check_AnEditedFile_NamesEveryChangedKey()
    {
        using var dir = new TempDirectory();
        var source = Loaded(dir, Start, []);
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

        Assert.Equal(["engines.anomaly.rules", "engines.freshness.minObservations", "httpPort"], change.RestartRequired);
        Assert.Empty(change.Errors);
    }

    [Fact]
    public void Check_AFileThatNoLongerLoads_SaysWhy()
    {
        using var dir = new TempDirectory();
        var source = Loaded(dir, Start, []);
        File.WriteAllText(Path.Combine(dir.Path, "autopilot.yaml"), "httpPort: lots\n");

        var change = source.Check();

        Assert.Empty(change.RestartRequired);
        Assert.Contains("httpPort", Assert.Single(change.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AFileDeletedSinceStart_SaysSo()
    {
        using var dir = new TempDirectory();
        var source = Loaded(dir, Start, []);
        File.Delete(Path.Combine(dir.Path, "autopilot.yaml"));

        var change = source.Check();

        Assert.Empty(change.RestartRequired);
        Assert.Contains("autopilot.yaml", Assert.Single(change.Errors), StringComparison.Ordinal);
    }

    private static ConfigSource Loaded(TempDirectory dir, string yaml, Hashtable environment)
    {
        var file = Path.Combine(dir.Path, "autopilot.yaml");
        File.WriteAllText(file, yaml);
        var (options, problems) = ConfigLoader.Load(file, environment, flags: null);
        Assert.Empty(problems);
        return new ConfigSource(file, environment, flags: null, options);
    }
}
