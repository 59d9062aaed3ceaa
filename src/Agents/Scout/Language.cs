namespace Autopilot.Agents.Scout;

/// <summary>Main language of a service. JSON: lowercase (<c>java</c>, <c>go</c>, <c>python</c>, <c>javascript</c>, <c>typescript</c>, <c>csharp</c>).</summary>
public enum Language
{
    Java,
    Go,
    Python,
    Javascript,
    Typescript,
    Csharp,
}
