namespace Autopilot.Pipeline;

/// <summary>Factories for flows.</summary>
public static class Flow
{
    /// <summary>The identity flow, to which operators are added.</summary>
    public static Flow<T, T> Create<T>() => new((_, downstream) => downstream);
}
