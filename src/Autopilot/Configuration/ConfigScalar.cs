namespace Autopilot.Host.Configuration;

/// <summary>A single value as written (YAML scalar, environment variable, flag); null for YAML <c>null</c>, <c>~</c> or nothing.</summary>
internal sealed class ConfigScalar(string? value, string source) : ConfigNode(source)
{
    public string? Value { get; } = value;

    public override string Describe() => Value is null ? "null" : "a value";
}
