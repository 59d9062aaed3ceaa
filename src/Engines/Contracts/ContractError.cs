namespace Autopilot.Engines.Contracts;

/// <summary>A problem with one contract file: the file, the key path in it (e.g. <c>sla.freshness</c>), and what is wrong.</summary>
public sealed record ContractError(string File, string Key, string Message)
{
    public override string ToString() => $"{File}: {Key}: {Message}";
}
