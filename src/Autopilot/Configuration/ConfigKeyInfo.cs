namespace Autopilot.Host.Configuration;

/// <summary>One configurable key for <c>autopilot config keys</c>: path, type, default, variable and description.</summary>
internal sealed record ConfigKeyInfo(string Key, string Type, string? Default, string EnvironmentVariable, string? Description);
