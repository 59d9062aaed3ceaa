using Autopilot.Agents.Scout.Facts;

namespace Autopilot.Agents.Scout.Planning;

/// <summary>A hit and the file it is in.</summary>
internal sealed record Located(string File, Hit Hit)
{
    public Evidence ToEvidence(string? lookedFor = null) => new(File, Hit.Line, lookedFor ?? Hit.LookedFor, Hit.Text);
}
