namespace Autopilot.Agents.Validate;

/// <summary>
/// Attribute keys that OpenTelemetry's semantic conventions renamed (HTTP in 1.21–1.23, messaging in 1.24–1.26,
/// database in 1.25–1.26). When an expected key is missing but its old name is there, the fix is a rename
/// (or a newer instrumentation), and the report says so.
/// </summary>
internal static class SemanticConventions
{
    private static readonly Dictionary<string, string[]> OldNames = new(StringComparer.Ordinal)
    {
        ["http.request.method"] = ["http.method"],
        ["http.response.status_code"] = ["http.status_code"],
        ["url.path"] = ["http.target"],
        ["url.query"] = ["http.target"],
        ["url.full"] = ["http.url"],
        ["url.scheme"] = ["http.scheme"],
        ["server.address"] = ["net.host.name", "net.peer.name", "http.host"],
        ["server.port"] = ["net.host.port", "net.peer.port"],
        ["client.address"] = ["http.client_ip", "net.sock.peer.addr"],
        ["network.protocol.version"] = ["http.flavor"],
        ["user_agent.original"] = ["http.user_agent"],
        ["http.request.body.size"] = ["http.request_content_length"],
        ["http.response.body.size"] = ["http.response_content_length"],
        ["messaging.destination.name"] = ["messaging.destination"],
        ["messaging.operation.type"] = ["messaging.operation"],
        ["messaging.message.body.size"] = ["messaging.message_payload_size_bytes"],
        ["messaging.message.conversation_id"] = ["messaging.conversation_id"],
        ["db.system.name"] = ["db.system"],
        ["db.namespace"] = ["db.name"],
        ["db.query.text"] = ["db.statement"],
        ["db.operation.name"] = ["db.operation"],
        ["db.collection.name"] = ["db.sql.table", "db.mongodb.collection", "db.cassandra.table"],
    };

    /// <summary>Old names of <paramref name="key"/> found in <paramref name="attributes"/>.</summary>
    public static IEnumerable<string> OldNamesPresent(string key, IReadOnlyDictionary<string, string> attributes)
    {
        if (OldNames.TryGetValue(key, out var old))
        {
            foreach (var o in old)
            {
                if (attributes.ContainsKey(o))
                {
                    yield return o;
                }
            }
        }
    }
}
