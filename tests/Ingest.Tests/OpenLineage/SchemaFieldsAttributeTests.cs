using System.Text;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;
using Autopilot.Ingest.Tests.TestSupport;

namespace Autopilot.Ingest.Tests.OpenLineage;

public sealed class SchemaFieldsAttributeTests
{
    [Fact]
    public void Decode_DatasetWithSchema_ListsFieldsBesideFingerprint()
    {
        var json = File.ReadAllBytes(SharedData.Path("openlineage", "events", "001_client_python_tests_example_full_event_0.json"));
        var signals = new List<Signal>();

        OpenLineageDecoder.Decode(json, signals);

        var dataset = signals.Find(s => s.Kind == SignalKind.Lineage && s.Urn.Contains(":dataset:", StringComparison.Ordinal));
        Assert.Equal("column1:VARCHAR", dataset.Attributes.Get(LineageSignalConventions.SchemaFields));
        Assert.NotNull(dataset.Attributes.Get(LineageSignalConventions.SchemaFingerprint));
    }

    [Fact]
    public void Decode_FieldNamesWithSeparators_PercentEncoded()
    {
        const string json = """
            {"eventTime":"2024-01-01T00:00:00Z","producer":"p","schemaURL":"s",
             "dataset":{"namespace":"n","name":"d","facets":{"schema":{"_producer":"p","_schemaURL":"s",
               "fields":[{"name":"a,b","type":"map<string:int>"},{"name":"c%","type":"INT"}]}}}}
            """;
        var signals = new List<Signal>();

        OpenLineageDecoder.Decode(Encoding.UTF8.GetBytes(json), signals);

        Assert.Equal("a%2Cb:map<string%3Aint>,c%25:INT", signals[0].Attributes.Get(LineageSignalConventions.SchemaFields));
    }
}
