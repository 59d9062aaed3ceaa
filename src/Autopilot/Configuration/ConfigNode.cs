namespace Autopilot.Host.Configuration;

/// <summary>
/// One node of a configuration tree before it is bound to the options classes: a section
/// (<see cref="ConfigMap"/>), a list (<see cref="ConfigList"/>) or a value (<see cref="ConfigScalar"/>).
/// Every node remembers where it came from, so a problem can name the file line, variable or flag.
/// </summary>
internal abstract class ConfigNode
{
    protected ConfigNode(string source) => Source = source;

    /// <summary>Where the node was set: <c>autopilot.yaml line 12</c>, <c>AUTOPILOT_INGEST__MAXREQUESTBYTES</c>, <c>--grpc-port</c>.</summary>
    public string Source { get; }

    /// <summary>What the node is, for messages: "a section", "a list", "a value".</summary>
    public abstract string Describe();
}
