using System.Reflection;

namespace Autopilot.Host.Configuration;

/// <summary>One configurable property of an options class.</summary>
internal sealed class ConfigProperty
{
    public required string Key { get; init; }

    public required PropertyInfo Info { get; init; }

    public required ConfigValueKind Kind { get; init; }

    /// <summary>Element type of a list, value type of a map; the property type otherwise.</summary>
    public required Type ElementType { get; init; }

    /// <summary>Whether a null value is allowed (nullable value type or nullable reference).</summary>
    public required bool Nullable { get; init; }

    /// <summary>Masked whenever the effective configuration is printed (<see cref="System.ComponentModel.PasswordPropertyTextAttribute"/>).</summary>
    public required bool Secret { get; init; }

    public bool Settable => Info.SetMethod is { IsPublic: true };
}
