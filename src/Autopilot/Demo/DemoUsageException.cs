namespace Autopilot.Host.Demo;

/// <summary>The demo cannot start as asked (a port the user chose is taken): exit 2 with the message.</summary>
internal sealed class DemoUsageException(string message) : Exception(message);
