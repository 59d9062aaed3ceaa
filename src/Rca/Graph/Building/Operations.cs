namespace Autopilot.Rca.Graph.Building;

/// <summary>Which way a database or messaging operation points: plain string tests, no allocation (hot path).</summary>
internal static class Operations
{
    // First words of operations that change data, across SQL, MongoDB, Redis, Cassandra, DynamoDB and
    // Elasticsearch client instrumentations (db.operation.name, or the span name "<operation> <target>").
    private static readonly string[] WritePrefixes =
    [
        "insert", "update", "delete", "upsert", "merge", "replace", "put", "write", "create", "drop", "alter",
        "truncate", "copy", "bulk", "set", "mset", "hset", "hmset", "del", "hdel", "incr", "decr", "lpush", "rpush",
        "sadd", "srem", "zadd", "zrem", "expire", "save", "remove", "batchwrite", "index", "findandmodify",
        "findoneandupdate", "findoneanddelete", "findoneandreplace", "append", "rename",
    ];

    /// <summary><see cref="EdgeKind.Writes"/> when the operation's first word changes data, else <see cref="EdgeKind.Reads"/>.</summary>
    public static EdgeKind DatabaseDirection(string operation)
    {
        var span = operation.AsSpan().TrimStart();
        var end = span.IndexOfAny(' ', '\t', '(');
        var word = end < 0 ? span : span[..end];
        foreach (var prefix in WritePrefixes)
        {
            if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return EdgeKind.Writes;
            }
        }

        return EdgeKind.Reads;
    }

    /// <summary>
    /// <see cref="EdgeKind.Produces"/> or <see cref="EdgeKind.Consumes"/> from the span kind, else from the
    /// operation (semantic conventions: create / send / publish produce; receive / process / deliver / settle consume);
    /// null when neither says.
    /// </summary>
    public static EdgeKind? MessagingDirection(string? spanKind, string operation)
    {
        switch (spanKind)
        {
            case "producer":
                return EdgeKind.Produces;
            case "consumer":
                return EdgeKind.Consumes;
        }

        var op = operation.AsSpan();
        if (op.StartsWith("send", StringComparison.OrdinalIgnoreCase) || op.StartsWith("publish", StringComparison.OrdinalIgnoreCase)
            || op.StartsWith("create", StringComparison.OrdinalIgnoreCase) || op.StartsWith("produce", StringComparison.OrdinalIgnoreCase))
        {
            return EdgeKind.Produces;
        }

        if (op.StartsWith("receive", StringComparison.OrdinalIgnoreCase) || op.StartsWith("process", StringComparison.OrdinalIgnoreCase)
            || op.StartsWith("deliver", StringComparison.OrdinalIgnoreCase) || op.StartsWith("settle", StringComparison.OrdinalIgnoreCase)
            || op.StartsWith("consume", StringComparison.OrdinalIgnoreCase) || op.StartsWith("poll", StringComparison.OrdinalIgnoreCase))
        {
            return EdgeKind.Consumes;
        }

        return null;
    }
}
