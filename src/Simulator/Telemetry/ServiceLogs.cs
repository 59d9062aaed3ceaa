using Microsoft.Extensions.Logging;

namespace Autopilot.Simulator.Telemetry;

/// <summary>The simulated services' application logs (they reach the server as OTLP log records with the request's trace context).</summary>
internal static partial class ServiceLogs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting {Service} version {Version}")]
    public static partial void Starting(ILogger logger, string service, string version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Order {OrderId} placed: {Amount} {Currency}")]
    public static partial void OrderPlaced(ILogger logger, string orderId, double amount, string currency);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Charged {Amount} {Currency} for order {OrderId}")]
    public static partial void Charged(ILogger logger, double amount, string currency, string orderId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Shipment created for order {OrderId}")]
    public static partial void ShipmentCreated(ILogger logger, string orderId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Method} {Route} failed with {StatusCode}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string method, string route, int statusCode, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Call to {Service} failed ({Reason}); continuing without it")]
    public static partial void Degraded(ILogger logger, string service, string reason);
}
