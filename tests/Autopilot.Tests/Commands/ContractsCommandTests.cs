using System.Text.Json;
using Autopilot.Host.Commands;

namespace Autopilot.Host.Tests.Commands;

/// <summary><c>autopilot contracts check</c>: a directory of data contracts loaded as serve loads it.</summary>
public sealed class ContractsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopilot-contracts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Check_AllLoad_Exits0_ListingEach()
    {
        Write("orders.yaml", "name: orders\ndataset: { namespace: pg, name: public.orders }\nowner: team-orders\ntier: gold\nschema:\n  - { name: id, type: integer, required: true }\nquality:\n  - rowCount > 0\n");
        Write("users.yml", "urn: urn:autopilot:dataset:pg:public.users\nsla:\n  freshness: 1h\n");

        var (code, stdout, stderr) = await RunAsync("contracts", "check", _dir);

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("orders.yaml\torders\turn:autopilot:dataset:pg:public.orders\towner team-orders\ttier gold\t1 field(s)\t1 rule(s)", lines[0]);
        Assert.StartsWith("users.yml\tusers\turn:autopilot:dataset:pg:public.users\t", lines[1], StringComparison.Ordinal);
        Assert.Equal($"autopilot contracts check: 2 contract(s) load from {_dir}, 0 error(s)\n", stderr);
    }

    [Fact]
    public async Task Check_ABadFileOrTwoForOneDataset_Exits2_NamingEachFileAndKey()
    {
        Write("a.yaml", "dataset: { namespace: pg, name: public.orders }\nquality:\n  - rowCount > 0\n");
        Write("b.yaml", "dataset: { namespace: pg, name: public.orders }\n"); // the same dataset again
        Write("c.yaml", "dataset: { namespace: pg, name: public.users }\nqualty:\n  - rowCount > 0\n");

        var (code, stdout, stderr) = await RunAsync("contracts", "check", _dir, "--output", "json");

        Assert.Equal(2, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(["a.yaml"], json.RootElement.GetProperty("contracts").EnumerateArray().Select(c => c.GetProperty("file").GetString()));
        Assert.Equal("rowCount > 0", json.RootElement.GetProperty("contracts")[0].GetProperty("rules")[0].GetString());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("file").GetString(), e.GetProperty("key").GetString())).ToList();
        Assert.Equal([("b.yaml", "urn"), ("c.yaml", "qualty")], errors);
        Assert.Contains("autopilot contracts check: b.yaml: urn: urn:autopilot:dataset:pg:public.orders is already governed by a.yaml.", stderr, StringComparison.Ordinal);
        Assert.EndsWith("1 contract(s) load from " + _dir + ", 2 error(s)\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoSuchDirectory_Exits2_WithOneLine()
    {
        var missing = Path.Combine(_dir, "nope");

        var (code, stdout, stderr) = await RunAsync("contracts", "check", missing);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"autopilot contracts check: directory '{missing}' not found.\n", stderr);
    }

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(_dir, file), text);

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => CommandRun.RunAsync([ContractsCommand.Create()], args);
}
