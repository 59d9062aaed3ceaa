namespace Autopilot.Engines.Api;

/// <summary>
/// What a reload found in the server's configuration sources beside the data contracts: the changed keys it put in force
/// (<see cref="Applied"/>: the threshold rules), those that take effect at a restart, or, when the sources no longer load,
/// why.
/// </summary>
public sealed record ConfigChange(IReadOnlyList<string> Applied, IReadOnlyList<string> RestartRequired, IReadOnlyList<string> Errors);
