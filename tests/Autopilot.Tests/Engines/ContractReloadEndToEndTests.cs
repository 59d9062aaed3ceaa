using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Engines;

/// <summary>
/// A contract changed on disk and reloaded through <c>POST /-/reload</c> reaches the contract engines of a running server:
/// OpenLineage row counts judged under the old rule before the reload and under the new one after it.
/// </summary>
public sealed class ContractReloadEndToEndTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public async Task Reload_TheRunningShardsJudgeLaterRowCountsByTheNewRule()
    {
        using var contracts = new TempDirectory();
        WriteContract(contracts.Path, "rowCount > 1000");
        await using var server = await TestServer.StartAsync(o => o.Engines.Contract.Directory = contracts.Path);
        var t0 = EngineFixtures.T0;

        // Under rowCount > 1000: 500 rows at 10 s break it; the event at 70 s closes that minute's window.
        await PostRowsAsync(server, t0 + (10 * Second), 500);
        await PostRowsAsync(server, t0 + (70 * Second), 500);
        await WaitForViolationAsync(server, t0);

        WriteContract(contracts.Path, "rowCount > 0");
        using var reload = await server.Http.PostAsync(new Uri("/-/reload", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);

        // Under rowCount > 0: 500 rows at 130 s pass; 0 rows at 310 s break it; 430 s closes every window up to 360 s.
        await PostRowsAsync(server, t0 + (130 * Second), 500);
        await PostRowsAsync(server, t0 + (250 * Second), 500);
        await PostRowsAsync(server, t0 + (310 * Second), 0);
        await PostRowsAsync(server, t0 + (430 * Second), 500);
        await WaitForViolationAsync(server, t0 + (300 * Second));

        var windows = (await ViolationsAsync(server)).Select(v => (v - t0) / Second).Order().ToList();
        Assert.Equal([0L, 60L, 300L], windows); // 60: the 70 s count was judged before the reload; 120 and 240 passed after it
    }

    [Fact]
    public async Task ApiContracts_ListsTheContractsInForce_AndTheFilesRejectedWithThem()
    {
        using var contracts = new TempDirectory();
        WriteContract(contracts.Path, "rowCount > 0");
        File.WriteAllText(Path.Combine(contracts.Path, "typo.yaml"), "dataset: { namespace: pg, name: public.users }\nqualty: []\n");
        await using var server = await TestServer.StartAsync(o => o.Engines.Contract.Directory = contracts.Path);

        var before = await ContractsAsync(server);
        Assert.Equal(contracts.Path, before.GetProperty("directory").GetString());
        Assert.Equal(0, before.GetProperty("reloads").GetInt32());
        var orders = Assert.Single(before.GetProperty("contracts").EnumerateArray());
        Assert.Equal(("orders.yaml", "urn:autopilot:dataset:pg:public.orders", "rowCount > 0"),
            (orders.GetProperty("file").GetString(), orders.GetProperty("urn").GetString(), orders.GetProperty("rules")[0].GetString()));
        var rejected = Assert.Single(before.GetProperty("errors").EnumerateArray());
        Assert.Equal(("typo.yaml", "qualty"), (rejected.GetProperty("file").GetString(), rejected.GetProperty("key").GetString()));

        File.Delete(Path.Combine(contracts.Path, "typo.yaml"));
        WriteContract(contracts.Path, "rowCount > 10");
        using var reload = await server.Http.PostAsync(new Uri("/-/reload", UriKind.Relative), null);
        var after = await ContractsAsync(server);

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.Equal(1, after.GetProperty("reloads").GetInt32());
        Assert.Equal("rowCount > 10", Assert.Single(after.GetProperty("contracts").EnumerateArray()).GetProperty("rules")[0].GetString());
        Assert.Empty(after.GetProperty("errors").EnumerateArray());
    }

    private static async Task<JsonElement> ContractsAsync(TestServer server)
    {
        using var doc = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/contracts", UriKind.Relative)));
        return doc.RootElement.Clone();
    }

    private static void WriteContract(string directory, string rule) =>
        File.WriteAllText(Path.Combine(directory, "orders.yaml"), $"dataset: {{ namespace: pg, name: public.orders }}\nquality:\n  - {rule}\n");

    private static async Task PostRowsAsync(TestServer server, long time, long rows)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(time / 1_000_000).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var json = """
            {"eventType":"COMPLETE","eventTime":"AT","producer":"https://example.com/test","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
             "run":{"runId":"RUN"},"job":{"namespace":"etl","name":"load_orders"},"inputs":[],
             "outputs":[{"namespace":"pg","name":"public.orders","outputFacets":{"outputStatistics":{"_producer":"https://example.com/test","_schemaURL":"https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json","rowCount":ROWS}}}]}
            """.Replace("AT", at, StringComparison.Ordinal).Replace("RUN", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("ROWS", rows.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<long>> ViolationsAsync(TestServer server)
    {
        using var doc = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/findings?engine=contract", UriKind.Relative)));
        return [.. doc.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("kind").GetString() == "contract.violation")
            .Select(f => f.GetProperty("windowStartUnixNano").GetInt64())];
    }

    private static async Task WaitForViolationAsync(TestServer server, long windowStart)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await ViolationsAsync(server)).Contains(windowStart))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no contract violation for the window at {windowStart} within 30 s");
            await Task.Delay(100);
        }
    }
}
