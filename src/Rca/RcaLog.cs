using Microsoft.Extensions.Logging;

namespace Autopilot.Rca;

internal static partial class RcaLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "RCA: the LLM explainer fell back to the rules: {Reason}")]
    public static partial void LlmFellBack(ILogger logger, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "RCA gRPC: {Method} failed")]
    public static partial void GrpcCallFailed(ILogger logger, string method, Exception exception);
}
