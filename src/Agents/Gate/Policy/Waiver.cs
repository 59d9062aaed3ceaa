namespace Autopilot.Agents.Gate.Policy;

/// <summary>
/// Permission to fail one check (or <c>*</c>) for a scope (a target name, a target path glob, or a file glob
/// for the file checks), owned by someone, until <see cref="Expires"/> (the first UTC day it no longer applies).
/// </summary>
internal sealed class Waiver(string check, string scope, string owner, DateOnly expires, string? reason)
{
    private readonly Glob _glob = new(scope);

    public string Check { get; } = check;

    public string Scope { get; } = scope;

    public string Owner { get; } = owner;

    public DateOnly Expires { get; } = expires;

    public string? Reason { get; } = reason;

    public bool AppliesTo(string check) => Check == "*" || string.Equals(Check, check, StringComparison.Ordinal);

    public bool IsActive(DateOnly today) => today < Expires;

    /// <summary>True when the scope names the target or its path matches.</summary>
    public bool CoversTarget(string target, string path) =>
        string.Equals(Scope, target, StringComparison.OrdinalIgnoreCase) || Scope == "*" || _glob.IsMatch(path);

    public bool CoversFile(string file) => _glob.IsMatch(file);
}
