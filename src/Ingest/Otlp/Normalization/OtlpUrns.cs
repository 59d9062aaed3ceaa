using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// How OTLP attributes become asset URNs (DESIGN.md, "URN"). The rules, in one place:
/// <list type="bullet">
/// <item>service: <c>urn:autopilot:service:&lt;env&gt;:&lt;service.name&gt;</c>; env is
/// <c>deployment.environment.name</c>, else <c>deployment.environment</c>, else <c>service.namespace</c>,
/// else <c>default</c>; a missing or empty service.name is <c>unknown_service</c>, as the OTel SDKs do.</item>
/// <item>topic: <c>urn:autopilot:topic:&lt;messaging.system&gt;:&lt;messaging.destination.name&gt;</c>.</item>
/// <item>dataset: <c>urn:autopilot:dataset:&lt;db.system&gt;/&lt;db.namespace&gt;:&lt;table&gt;</c>
/// (just <c>&lt;db.system&gt;</c> when there is no namespace).</item>
/// <item>host / container: <c>urn:autopilot:host:&lt;env&gt;:&lt;host.name&gt;</c>,
/// <c>urn:autopilot:container:&lt;env&gt;:&lt;container.id&gt;</c>, with the service's env rule.
/// They are related assets of a resource, not signals.</item>
/// </list>
/// </summary>
public static class OtlpUrns
{
    public const string UnknownService = "unknown_service";

    public static string Service(string? serviceName, string? environment) =>
        Urn.Create("service", string.IsNullOrEmpty(environment) ? "default" : environment, string.IsNullOrEmpty(serviceName) ? UnknownService : serviceName);

    public static string Topic(string messagingSystem, string destination) => Urn.Create("topic", messagingSystem, destination);

    public static string Dataset(string dbSystem, string? dbNamespace, string table) =>
        Urn.Create("dataset", string.IsNullOrEmpty(dbNamespace) ? dbSystem : dbSystem + "/" + dbNamespace, table);

    /// <summary>The environment part of a resource's URNs, from its attributes (see the class rules).</summary>
    public static string? Environment(Func<string, string?> resourceAttribute)
    {
        ArgumentNullException.ThrowIfNull(resourceAttribute);
        return NonEmpty(resourceAttribute("deployment.environment.name"))
            ?? NonEmpty(resourceAttribute("deployment.environment"))
            ?? NonEmpty(resourceAttribute("service.namespace"));
    }

    /// <summary>
    /// The host and container URNs a resource names (from <c>host.name</c> and <c>container.id</c>), for the
    /// asset inventory to record next to the service URN. Appends 0, 1 or 2 URNs, aliases applied.
    /// </summary>
    public static void AddRelated(Func<string, string?> resourceAttribute, ICollection<string> output, UrnAliases? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(resourceAttribute);
        ArgumentNullException.ThrowIfNull(output);
        aliases ??= UrnAliases.None;
        var environment = Environment(resourceAttribute) ?? "default";
        if (NonEmpty(resourceAttribute("host.name")) is { } host)
        {
            output.Add(aliases.Resolve(Urn.Create("host", environment, host)));
        }

        if (NonEmpty(resourceAttribute("container.id")) is { } container)
        {
            output.Add(aliases.Resolve(Urn.Create("container", environment, container)));
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
