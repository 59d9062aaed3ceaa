using System.Text.Json;
using Autopilot.Engines.State;

namespace Autopilot.Engines.Events;

internal static class CloudEventJson
{
    /// <summary>One event as a JSON object with the CloudEvents attribute names (all lower case).</summary>
    public static void Write(Utf8JsonWriter json, CloudEvent e)
    {
        json.WriteStartObject();
        json.WriteString("specversion", e.SpecVersion);
        json.WriteString("id", e.Id);
        json.WriteString("source", e.Source);
        json.WriteString("type", e.Type);
        json.WriteString("time", e.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("datacontenttype", e.DataContentType);
        if (e.FindingCount is { } findings)
        {
            json.WriteNumber("findingcount", findings);
        }

        if (e.TimelineCount is { } timeline)
        {
            json.WriteNumber("timelinecount", timeline);
        }
        json.WritePropertyName("data");
        JsonSerializer.Serialize(json, e.Data, e.Data.GetType(), EngineJson.Options);
        json.WriteEndObject();
    }
}
