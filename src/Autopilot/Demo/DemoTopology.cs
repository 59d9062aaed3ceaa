using Autopilot.Simulator.Topology;

namespace Autopilot.Host.Demo;

/// <summary>
/// The shop the demo runs: <see cref="ShopTopology.Default"/> (the accuracy suite's shop) with its two batch jobs
/// run every minute instead of every 5 minutes, so a data fault (a changed schema) reaches the engines with the next
/// run, within the demo's two minutes rather than up to ten minutes later.
/// </summary>
internal static class DemoTopology
{
    public static ShopTopology Create()
    {
        var shop = ShopTopology.Default();
        var jobs = shop.Jobs.Select(j => j.Name switch
        {
            // etl starts 5 s into each minute and takes about 20 s; reporting reads its output 30 s later.
            "etl.orders_daily" => j with { Interval = TimeSpan.FromMinutes(1), Offset = TimeSpan.FromSeconds(5), MedianDuration = TimeSpan.FromSeconds(20) },
            "reporting.revenue_daily" => j with { Interval = TimeSpan.FromMinutes(1), Offset = TimeSpan.FromSeconds(35), MedianDuration = TimeSpan.FromSeconds(15) },
            _ => j with { Interval = TimeSpan.FromMinutes(1), Offset = TimeSpan.Zero },
        }).ToList();
        return new ShopTopology(shop.EntryService, shop.Entries, shop.Services, shop.Topics, shop.JobNamespace, jobs);
    }
}
