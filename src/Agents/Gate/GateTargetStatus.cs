namespace Autopilot.Agents.Gate;

/// <summary>A service (or the repository itself, for files outside every service) and its checks.</summary>
/// <param name="Name">Service name, or the repository's folder name.</param>
/// <param name="Path">Repository-relative folder; "." for the repository.</param>
/// <param name="Tier">The tier that applied.</param>
/// <param name="Service">False for the repository target, which only runs the file checks.</param>
/// <param name="Status">The worst outcome of its checks.</param>
/// <param name="Checks">Its checks, in a fixed order.</param>
public sealed record GateTargetStatus(string Name, string Path, string Tier, bool Service, GateVerdict Status, IReadOnlyList<GateCheckStatus> Checks);
