namespace Autopilot.Host.Configuration;

/// <summary>A list of nodes (YAML sequence; <c>__0__</c>, <c>__1__</c> … in environment variables).</summary>
internal sealed class ConfigList(string source) : ConfigNode(source)
{
    public List<ConfigNode> Items { get; } = [];

    public override string Describe() => "a list";
}
