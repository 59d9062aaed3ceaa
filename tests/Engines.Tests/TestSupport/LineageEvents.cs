using System.Text;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>Decodes the real OpenLineage events of shared/data/openlineage/events into signals.</summary>
internal static class LineageEvents
{
    public static string Text(string file) => File.ReadAllText(SharedData.Path("openlineage", "events", file));

    public static List<Signal> Decode(string json)
    {
        var signals = new List<Signal>();
        OpenLineageDecoder.Decode(Encoding.UTF8.GetBytes(json), signals);
        return signals;
    }
}
