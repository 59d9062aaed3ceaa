namespace Autopilot.Engines.Api;

/// <summary>
/// What a reload found in the server's configuration sources beside the data contracts: the keys whose value now differs
/// from the one in force (they take effect at a restart) or, when the sources no longer load, why.
/// </summary>
public sealed record ConfigChange(IReadOnlyList<string> RestartRequired, IReadOnlyList<string> Errors);
