using Autopilot.Engines.Contracts;

namespace Autopilot.Engines.Tests.Contracts;

public sealed class ContractSetTests
{
    internal const string Orders = """
        name: orders
        dataset: { namespace: pg, name: public.orders }
        owner: team-orders
        tier: gold
        schema:
          - { name: id, type: integer, required: true }
          - { name: email, type: string, required: true }
          - { name: note, type: string }
        quality:
          - rowCount > 0
          - nullCount(id) == 0
        sla:
          freshness: 1h
          volume: { min: 100, per: 1h }
        slo:
          objective: 0.99
        """;

    [Fact]
    public void Parse_ValidContract_ReadsEveryPart()
    {
        var set = ContractSet.Parse([("orders.yaml", Orders)]);

        Assert.Empty(set.Errors);
        var c = Assert.Single(set.Contracts);
        Assert.Equal("orders", c.Name);
        Assert.Equal("urn:autopilot:dataset:pg:public.orders", c.Urn);
        Assert.Equal("team-orders", c.Owner);
        Assert.Equal("gold", c.Tier);
        Assert.Equal(3, c.Schema.Count);
        Assert.True(c.Schema[0].Required);
        Assert.False(c.Schema[2].Required);
        Assert.Equal(2, c.Quality.Count);
        Assert.Equal(ContractMetric.NullCount, c.Quality[1].Metric);
        Assert.Equal("id", c.Quality[1].Column);
        Assert.Equal(TimeSpan.FromHours(1), c.Sla.Freshness);
        Assert.Equal(100, c.Sla.VolumeMin);
        Assert.Equal(TimeSpan.FromHours(1), c.Sla.VolumePer);
        Assert.Equal(0.99, c.SloObjective);
        Assert.Same(c, set.Find(c.Urn));
    }

    [Fact]
    public void Parse_UrnInsteadOfDataset_UsesIt()
    {
        var set = ContractSet.Parse([("t.yml", "urn: urn:autopilot:topic:kafka:orders\n")]);

        Assert.Empty(set.Errors);
        Assert.Equal("t", set.Contracts[0].Name);
        Assert.Equal("urn:autopilot:topic:kafka:orders", set.Contracts[0].Urn);
    }

    [Theory]
    [InlineData("urn: nope\n", "urn")]
    [InlineData("owner: x\n", "urn")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nsla: { freshness: soon }\n", "sla.freshness")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nsla: { volume: { per: 1h } }\n", "sla.volume.min")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nquality: [ 'rowCount >> 1' ]\n", "quality[0]")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nquality: [ 'nullCount > 1' ]\n", "quality[0]")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nschema: [ { type: int } ]\n", "schema[0].name")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nschema: [ { name: a, required: maybe } ]\n", "schema[0].required")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nslo: { objective: 1.5 }\n", "slo.objective")]
    [InlineData("urn: urn:autopilot:dataset:a:b\nowners: x\n", "owners")]
    [InlineData("urn: [a\n", "(yaml)")]
    public void Parse_InvalidContract_ErrorNamesFileAndKey(string yaml, string key)
    {
        var set = ContractSet.Parse([("bad.yaml", yaml)]);

        Assert.Empty(set.Contracts);
        var error = Assert.Single(set.Errors, e => e.Key == key);
        Assert.Equal("bad.yaml", error.File);
        Assert.StartsWith("bad.yaml: " + key + ": ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoFilesSameUrn_SecondRejected()
    {
        var set = ContractSet.Parse([("a.yaml", Orders), ("b.yaml", Orders)]);

        Assert.Single(set.Contracts);
        Assert.Equal("b.yaml", Assert.Single(set.Errors).File);
    }

    [Fact]
    public void Load_DirectoryWithOneBadFile_LoadsTheOthersAndReportsTheBadOne()
    {
        var dir = Directory.CreateTempSubdirectory("contracts-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a-orders.yaml"), Orders);
            File.WriteAllText(Path.Combine(dir, "b-broken.yaml"), "urn: urn:autopilot:dataset:x:y\nsla:\n  freshness: -5m\n");
            File.WriteAllText(Path.Combine(dir, "c-topic.yml"), "urn: urn:autopilot:topic:kafka:t\nowner: me\n");
            File.WriteAllText(Path.Combine(dir, "readme.txt"), "not a contract");

            var set = ContractSet.Load(dir);

            Assert.Equal(2, set.Contracts.Count);
            var error = Assert.Single(set.Errors);
            Assert.Equal("b-broken.yaml", error.File);
            Assert.Equal("sla.freshness", error.Key);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Catalog_MissingDirectory_ReportsIt()
    {
        var options = new ContractOptions { Directory = Path.Combine(Path.GetTempPath(), "no-such-contracts-" + Guid.NewGuid()) };

        var set = options.Catalog.Current;

        Assert.Empty(set.Contracts);
        Assert.Contains("not found", Assert.Single(set.Errors).Message, StringComparison.Ordinal);
        Assert.Same(set, options.Catalog.Current);
    }

    [Theory]
    [InlineData("rowCount > 0", 1, true)]
    [InlineData("rowCount > 0", 0, false)]
    [InlineData("nullCount(id) == 0", 0, true)]
    [InlineData("nullCount(id) == 0", 3, false)]
    [InlineData("max(amount) <= 1e3", 1000, true)]
    [InlineData("min(amount) >= -5", -6, false)]
    [InlineData("count(a) != 2", 2, false)]
    public void RuleHolds_Observed_MatchesOperator(string text, double observed, bool expected)
    {
        var rule = ContractRule.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal(expected, rule!.Holds(observed));
    }

    [Fact]
    public void Validate_WindowNotDividingFiveMinutes_NamesKey()
    {
        var options = new ContractOptions { EvaluationWindow = TimeSpan.FromMinutes(2) };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("engines.contract.evaluationWindow", e.Message, StringComparison.Ordinal);
    }
}
