using System.Diagnostics;
using Autopilot.Ingest.Signals;

namespace Autopilot.Simulator.Topology;

/// <summary>
/// The simulated application: services with their operations, Kafka topics with their consumers, and the
/// OpenLineage batch jobs. <see cref="Default"/> is the web shop the accuracy suite and the demo run; the URN
/// helpers build every asset's URN exactly as <c>autopilot serve</c> derives it from the telemetry.
/// </summary>
public sealed class ShopTopology
{
    /// <summary>The <c>db.system.name</c> of every database span.</summary>
    public const string DbSystem = "postgresql";

    /// <summary>The <c>messaging.system</c> of every topic.</summary>
    public const string MessagingSystem = "kafka";

    private readonly Dictionary<string, ServiceSpec> _services;

    public ShopTopology(string entryService, IReadOnlyList<EntrySpec> entries, IReadOnlyList<ServiceSpec> services, IReadOnlyList<TopicSpec> topics, string jobNamespace, IReadOnlyList<JobSpec> jobs)
    {
        ArgumentNullException.ThrowIfNull(services);
        EntryService = entryService;
        Entries = entries;
        Services = services;
        Topics = topics;
        JobNamespace = jobNamespace;
        Jobs = jobs;
        _services = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Validate();
    }

    /// <summary>The service user requests arrive at.</summary>
    public string EntryService { get; }

    /// <summary>The kinds of user request and their shares.</summary>
    public IReadOnlyList<EntrySpec> Entries { get; }

    public IReadOnlyList<ServiceSpec> Services { get; }

    public IReadOnlyList<TopicSpec> Topics { get; }

    /// <summary>The OpenLineage namespace of the jobs.</summary>
    public string JobNamespace { get; }

    public IReadOnlyList<JobSpec> Jobs { get; }

    public ServiceSpec Service(string name) =>
        _services.TryGetValue(name, out var s) ? s : throw new ArgumentException($"no service '{name}' in the topology", nameof(name));

    public bool HasService(string name) => _services.ContainsKey(name);

    public TopicSpec Topic(string name) =>
        Topics.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no topic '{name}' in the topology", nameof(name));

    public JobSpec Job(string name) =>
        Jobs.FirstOrDefault(j => j.Name == name) ?? throw new ArgumentException($"no job '{name}' in the topology", nameof(name));

    public static string ServiceUrn(string environment, string service) => Urn.Create("service", environment, service);

    /// <summary>The URN of a table as the server derives it from a database span: <c>dataset:&lt;db.system&gt;/&lt;db.namespace&gt;:&lt;table&gt;</c>.</summary>
    public static string TableUrn(string database, string table) => Urn.Create("dataset", DbSystem + "/" + database, table);

    public static string DatasetUrn(LineageDatasetSpec dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Urn.Create("dataset", dataset.Namespace, dataset.Name);
    }

    public static string TopicUrn(string topic) => Urn.Create("topic", MessagingSystem, topic);

    public string JobUrn(string job) => Urn.Create("job", JobNamespace, job);

    /// <summary>
    /// The web shop: 12 services (web-frontend → api-gateway → catalog, cart, user, recommendation, checkout;
    /// checkout → user, cart, inventory, payment, shipping), PostgreSQL tables behind six of them, the Kafka topic
    /// <c>orders</c> (published by checkout, consumed by notification and fulfillment), and two OpenLineage jobs:
    /// <c>etl.orders_daily</c> (orders → orders_daily, every 5 min) and <c>reporting.revenue_daily</c>
    /// (orders_daily → revenue_daily, every 5 min).
    /// </summary>
    public static ShopTopology Default()
    {
        static OperationSpec Http(string name, string method, string route, double selfMs, params StepSpec[] steps) =>
            new(name, ActivityKind.Server, method, route, selfMs, steps);

        static TimeSpan ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
        var services = new List<ServiceSpec>
        {
            new("web-frontend", "2.3.1", 0.18,
            [
                Http("home", "GET", "/", 3, new CallStep("api-gateway", "products", ms(5000))),
                Http("cart", "GET", "/cart", 3, new CallStep("api-gateway", "cart", ms(5000))),
                Http("account", "GET", "/account", 3, new CallStep("api-gateway", "user", ms(5000))),
                Http("checkout", "POST", "/checkout", 4, new CallStep("api-gateway", "checkout", ms(8000))),
            ]),
            new("api-gateway", "1.9.0", 0.22,
            [
                Http("products", "GET", "/api/products", 2,
                    new CallStep("catalog", "list", ms(2000)),
                    new CallStep("recommendation", "recommend", ms(800), Required: false)),
                Http("cart", "GET", "/api/cart", 2, new CallStep("cart", "get", ms(2000))),
                Http("user", "GET", "/api/user", 2, new CallStep("user", "get", ms(2000))),
                Http("checkout", "POST", "/api/checkout", 2, new CallStep("checkout", "place", ms(6000))),
            ]),
            new("catalog", "3.1.4", 0.25,
            [
                Http("list", "GET", "/products", 6, new DbStep("catalog", "products", "SELECT", 3)),
            ]),
            new("recommendation", "0.8.2", 0.30,
            [
                Http("recommend", "GET", "/recommendations", 12, new CallStep("catalog", "list", ms(500))),
            ]),
            new("cart", "1.4.0", 0.15,
            [
                Http("get", "GET", "/cart/{id}", 4, new DbStep("shop", "carts", "SELECT", 2)),
            ]),
            new("user", "2.0.7", 0.14,
            [
                Http("get", "GET", "/users/{id}", 4, new DbStep("shop", "users", "SELECT", 2)),
            ]),
            new("checkout", "4.2.0", 0.20,
            [
                Http("place", "POST", "/orders", 10,
                    new CallStep("user", "get", ms(1000)),
                    new CallStep("cart", "get", ms(1000)),
                    new CallStep("inventory", "reserve", ms(1500)),
                    new CallStep("payment", "charge", ms(2500)),
                    new CallStep("shipping", "quote", ms(1500)),
                    new DbStep("shop", "orders", "INSERT", 4),
                    new PublishStep("orders")),
            ]),
            new("inventory", "1.12.3", 0.16,
            [
                Http("reserve", "POST", "/reservations", 5,
                    new DbStep("shop", "inventory", "SELECT", 2),
                    new DbStep("shop", "inventory", "UPDATE", 3)),
            ]),
            new("payment", "1.4.2", 0.20,
            [
                Http("charge", "POST", "/charges", 35, new DbStep("payments", "charges", "INSERT", 4)),
            ]),
            new("shipping", "0.9.5", 0.12,
            [
                Http("quote", "POST", "/quotes", 15),
            ]),
            new("notification", "1.1.0", 0.10,
            [
                new OperationSpec("order-placed", ActivityKind.Consumer, "process", "orders", 8, []),
            ]),
            new("fulfillment", "2.5.1", 0.13,
            [
                new OperationSpec("order-placed", ActivityKind.Consumer, "process", "orders", 6,
                    [new DbStep("warehouse", "shipments", "INSERT", 3)]),
            ]),
        };

        var topics = new List<TopicSpec>
        {
            new("orders", [new TopicConsumer("notification", "order-placed", "notification"), new TopicConsumer("fulfillment", "order-placed", "fulfillment")]),
        };

        var orders = new LineageDatasetSpec(DbSystem + "/shop", "orders",
        [
            new("id", "BIGINT"), new("customer_id", "BIGINT"), new("amount", "DECIMAL(12,2)"), new("currency", "VARCHAR"),
            new("status", "VARCHAR"), new("created_at", "TIMESTAMP"),
        ]);
        var ordersDaily = new LineageDatasetSpec(DbSystem + "/analytics", "orders_daily",
        [
            new("day", "DATE"), new("customer_id", "BIGINT"), new("orders", "BIGINT"), new("amount", "DECIMAL(14,2)"), new("currency", "VARCHAR"),
        ]);
        var revenueDaily = new LineageDatasetSpec(DbSystem + "/analytics", "revenue_daily",
        [
            new("day", "DATE"), new("currency", "VARCHAR"), new("revenue", "DECIMAL(16,2)"),
        ]);
        var jobs = new List<JobSpec>
        {
            new("etl.orders_daily", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45), [orders], [ordersDaily]),
            new("reporting.revenue_daily", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(170), TimeSpan.FromSeconds(30), [ordersDaily], [revenueDaily]),
        };

        return new ShopTopology("web-frontend",
        [
            new EntrySpec("home", 0.45),
            new EntrySpec("cart", 0.15),
            new EntrySpec("account", 0.15),
            new EntrySpec("checkout", 0.25),
        ], services, topics, "scheduler", jobs);
    }

    /// <summary>Services whose operations call <paramref name="service"/> directly, with the operation and the index of the call step.</summary>
    internal IEnumerable<(ServiceSpec Caller, OperationSpec Operation, int Step)> CallersOf(string service)
    {
        foreach (var s in Services)
        {
            foreach (var op in s.Operations)
            {
                for (var i = 0; i < op.Steps.Count; i++)
                {
                    if (op.Steps[i] is CallStep c && c.Service == service)
                    {
                        yield return (s, op, i);
                    }
                }
            }
        }
    }

    /// <summary>Services with a database step on the table.</summary>
    internal IEnumerable<(ServiceSpec Service, OperationSpec Operation, int Step)> UsersOf(string database, string table)
    {
        foreach (var s in Services)
        {
            foreach (var op in s.Operations)
            {
                for (var i = 0; i < op.Steps.Count; i++)
                {
                    if (op.Steps[i] is DbStep d && d.Database == database && d.Table == table)
                    {
                        yield return (s, op, i);
                    }
                }
            }
        }
    }

    private void Validate()
    {
        if (!_services.ContainsKey(EntryService))
        {
            throw new ArgumentException($"entry service '{EntryService}' is not in the topology");
        }

        foreach (var e in Entries)
        {
            _ = Service(EntryService).Operation(e.Operation);
        }

        foreach (var s in Services)
        {
            foreach (var op in s.Operations)
            {
                foreach (var step in op.Steps)
                {
                    switch (step)
                    {
                        case CallStep c:
                            _ = Service(c.Service).Operation(c.Operation);
                            break;
                        case PublishStep p:
                            _ = Topic(p.Topic);
                            break;
                    }
                }
            }
        }

        foreach (var t in Topics)
        {
            foreach (var c in t.Consumers)
            {
                _ = Service(c.Service).Operation(c.Operation);
            }
        }
    }
}
