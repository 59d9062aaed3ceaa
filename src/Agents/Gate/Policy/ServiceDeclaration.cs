namespace Autopilot.Agents.Gate.Policy;

/// <summary>A service listed in the policy: its name and its folder (repository-relative).</summary>
internal sealed record ServiceDeclaration(string Name, string Path);
