namespace Autopilot.Pipeline.Tests;

/// <summary>Awaits a condition with a timeout instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeoutSeconds} s waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }

    public static async Task<T> WithinAsync<T>(Task<T> task, int timeoutSeconds = 30) => await task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));

    public static async Task WithinAsync(Task task, int timeoutSeconds = 30) => await task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
}
