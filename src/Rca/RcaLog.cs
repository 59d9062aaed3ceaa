using Microsoft.Extensions.Logging;

namespace Autopilot.Rca;

internal static partial class RcaLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "RCA: the LLM explainer fell back to the rules: {Reason}")]
    public static partial void LlmFellBack(ILogger logger, string reason);
}
