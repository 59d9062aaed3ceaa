using System.Globalization;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Faults;

/// <summary>
/// Builds <see cref="FaultSpec"/>s for a topology: which targets each kind can hit, the magnitude drawn from a
/// seeded <see cref="Random"/> (ranges chosen so the default engines can see every fault, see README "Simulator"),
/// the ground-truth root URN and the assets the fault can reach.
/// </summary>
public static class FaultCatalog
{
    private static readonly string[] LatencyTargets = ["payment", "inventory", "shipping", "catalog", "user", "cart", "recommendation"];
    private static readonly string[] DeployTargets = ["payment", "inventory", "cart", "user", "catalog", "shipping"];
    private static readonly string[] CpuTargets = ["payment", "catalog", "checkout", "user", "cart", "inventory", "recommendation"];
    private static readonly string[] SlowTables = ["shop.inventory", "shop.users", "catalog.products", "shop.carts", "shop.orders", "payments.charges"];
    private static readonly string[] StaleJobs = ["etl.orders_daily", "reporting.revenue_daily"];

    /// <summary>What <paramref name="kind"/> can be injected into in <paramref name="topology"/> (names as <see cref="Create"/> takes them).</summary>
    public static IReadOnlyList<string> Targets(FaultKind kind, ShopTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        IEnumerable<string> candidates = kind switch
        {
            FaultKind.Latency => LatencyTargets.Where(topology.HasService),
            FaultKind.DeployErrors => DeployTargets.Where(topology.HasService),
            FaultKind.CpuSaturation => CpuTargets.Where(topology.HasService),
            FaultKind.SlowDatabase => SlowTables.Where(t => Split(t) is var (db, table) && topology.UsersOf(db, table).Any()),
            FaultKind.StaleDataset => StaleJobs.Where(j => topology.Jobs.Any(x => x.Name == j)),
            FaultKind.SchemaChange => topology.Jobs.Where(j => j.Outputs.Any(o => topology.Jobs.Any(k => k.Inputs.Contains(o)))).Select(j => j.Name),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown fault kind"),
        };
        return [.. candidates];
    }

    /// <summary>
    /// A fault of <paramref name="kind"/> on <paramref name="target"/> (null: drawn from <see cref="Targets"/>), with
    /// its magnitude drawn from <paramref name="random"/> (null: the middle of each range). <paramref name="deployDelay"/>
    /// sets a deploy's time to its first error instead of drawing it (the demo wants its errors at once).
    /// </summary>
    /// <exception cref="ArgumentException">The target is not one <paramref name="kind"/> can hit, or the delay is negative.</exception>
    public static FaultSpec Create(FaultKind kind, ShopTopology topology, string environment, string? target = null, Random? random = null, TimeSpan? deployDelay = null)
    {
        if (deployDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"a deploy's delay to its first error must not be negative, got {deployDelay}", nameof(deployDelay));
        }

        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrEmpty(environment);
        var targets = Targets(kind, topology);
        if (target is null)
        {
            target = random is null ? targets[0] : targets[random.Next(targets.Count)];
        }
        else if (!targets.Contains(target, StringComparer.Ordinal))
        {
            throw new ArgumentException($"{FaultKinds.Name(kind)} cannot target '{target}'; targets: {string.Join(", ", targets)}", nameof(target));
        }

        double Draw(double min, double max) => random is null ? (min + max) / 2 : min + (random.NextDouble() * (max - min));
        var c = CultureInfo.InvariantCulture;
        var radius = new BlastRadius(topology, environment);
        switch (kind)
        {
            case FaultKind.Latency:
            {
                var extra = Math.Round(Draw(250, 1200));
                return new FaultSpec(kind, target, ShopTopology.ServiceUrn(environment, target), radius.OfService(target, failsFast: false), extra, TimeSpan.Zero, null, 0,
                    string.Create(c, $"{target} spends about {extra:0} ms more on every request"));
            }

            case FaultKind.DeployErrors:
            {
                var share = Math.Round(Draw(0.2, 0.6), 2);
                var delay = deployDelay ?? TimeSpan.FromSeconds(Math.Round(Draw(0, 90)));
                var version = NextVersion(topology.Service(target).Version);
                return new FaultSpec(kind, target, ShopTopology.ServiceUrn(environment, target), radius.OfService(target, failsFast: true), share, delay, version, 0,
                    string.Create(c, $"{target} {version} is deployed; {delay.TotalSeconds:0} s later {share:P0} of its requests fail with HTTP 500"));
            }

            case FaultKind.CpuSaturation:
            {
                var factor = Math.Round(Draw(3, 6), 1);
                return new FaultSpec(kind, target, ShopTopology.ServiceUrn(environment, target), radius.OfService(target, failsFast: false), factor, TimeSpan.Zero, null, 0,
                    string.Create(c, $"{target}'s CPU saturates (process.cpu.utilization > 0.9) and its requests take {factor:0.#}x longer plus queueing"));
            }

            case FaultKind.SlowDatabase:
            {
                var (db, table) = Split(target);
                var extra = Math.Round(Draw(150, 900));
                return new FaultSpec(kind, target, ShopTopology.TableUrn(db, table), radius.OfTable(db, table), extra, TimeSpan.Zero, null, 0,
                    string.Create(c, $"statements on {ShopTopology.DbSystem} table {target} take about {extra:0} ms more (lock contention)"));
            }

            case FaultKind.StaleDataset:
            {
                var job = topology.Job(target);
                return new FaultSpec(kind, target, topology.JobUrn(target), radius.OfStoppedJob(job), 0, TimeSpan.Zero, null, 0,
                    $"job {target} stops running, so {string.Join(", ", job.Outputs.Select(o => o.Name))} is no longer written");
            }

            case FaultKind.SchemaChange:
            {
                var job = topology.Job(target);
                var dataset = job.Outputs.First(o => topology.Jobs.Any(k => k.Inputs.Contains(o)));
                var variant = random?.Next(3) ?? 0;
                return new FaultSpec(kind, dataset.Name, ShopTopology.DatasetUrn(dataset), radius.OfSchemaChange(dataset), 0, TimeSpan.Zero, null, variant,
                    $"job {target} writes {dataset.Name} with a changed schema ({SchemaChanges.Describe(dataset, variant)}); the jobs reading it fail");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown fault kind");
        }
    }

    internal static (string Database, string Table) Split(string target)
    {
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == target.Length - 1)
        {
            throw new ArgumentException($"a table target is <database>.<table>, got '{target}'", nameof(target));
        }

        return (target[..dot], target[(dot + 1)..]);
    }

    private static string NextVersion(string version)
    {
        var parts = version.Split('.');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? string.Create(CultureInfo.InvariantCulture, $"{parts[0]}.{minor + 1}.0")
            : version + "-next";
    }
}
