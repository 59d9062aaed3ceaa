namespace Autopilot.Rca.Tests.Support;

internal static class Extensions
{
    /// <summary>Applies <paramref name="change"/> to <paramref name="value"/> and returns it (for expressions).</summary>
    public static T Also<T>(this T value, Action<T> change)
    {
        change(value);
        return value;
    }
}
