using System.Text.RegularExpressions;
using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>
/// Finds pattern lines in a file's text: one vectorised search for every trigger at once, then the patterns
/// of each line that holds a trigger. Lines without a trigger cost nothing beyond the search.
/// </summary>
internal static class LineScanner
{
    /// <summary>Lines after a call searched for its <c>topic:</c> key or a wrapped argument.</summary>
    private const int LookaheadLines = 6;

    private static readonly HashSet<string> NotTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "dual", "information_schema", "pg_catalog", "sqlite_master", "unnest", "generate_series", "select", "where", "values", "set",
        "lateral", "the", "a", "an", "this", "that", "table", "into", "from", "json_each", "jsonb_array_elements", "sys", "if", "exists", "only",
    };

    public static void Scan(FileFacts facts, string text, PatternSet set)
    {
        var span = text.AsSpan();
        var pos = 0;
        var line = 1;
        var counted = 0;
        var state = new ScanState(facts, text);
        while (pos < span.Length)
        {
            var found = span[pos..].IndexOfAny(set.Triggers);
            if (found < 0)
            {
                break;
            }

            var at = pos + found;
            var lineStart = at == 0 ? 0 : span[..at].LastIndexOf('\n') + 1;
            var newline = span[at..].IndexOf('\n');
            var lineEnd = newline < 0 ? span.Length : at + newline;
            line += span[counted..lineStart].Count('\n');
            counted = lineStart;
            var lineSpan = span[lineStart..lineEnd].TrimEnd('\r');
            if (!set.IsComment(lineSpan))
            {
                Evaluate(state, set, lineSpan.ToString(), lineEnd, line);
            }

            pos = lineEnd + 1;
        }
    }

    private static void Evaluate(ScanState state, PatternSet set, string line, int lineEnd, int lineNumber)
    {
        var sqlDone = false;
        var healthDone = false;
        var seen = new HashSet<(PatternKind, string?)>();
        foreach (var p in set.Patterns)
        {
            var at = IndexOf(line, p);
            if (at < 0)
            {
                continue;
            }

            if (p.RequiresInFile is not null && !state.FileContains(p.RequiresInFile))
            {
                continue;
            }

            if (p.ReceiverContains is not null && !Receiver(line, at).Contains(p.ReceiverContains, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            switch (p.Kind)
            {
                case PatternKind.SqlStatement when !sqlDone:
                    sqlDone = true;
                    Sql(state, line, lineEnd, lineNumber);
                    break;
                case PatternKind.SqlStatement:
                    break;
                case PatternKind.Health when p.Value == "route":
                    if (!healthDone && ScoutRegex.HealthRoute().Match(line) is { Success: true } route)
                    {
                        healthDone = true;
                        Add(state, seen, PatternKind.Health, null, lineNumber, line, [], "health/readiness route " + route.Value);
                    }

                    break;
                case PatternKind.TopicConstant:
                    // TOPIC = "orders", ORDERS_TOPIC = os.getenv("ORDERS_TOPIC", "orders"), const ordersTopic = process.env.T || 'orders'.
                    if (ScoutRegex.StringConstant().Match(line) is { Success: true } constant
                        && TopicExpr.Parse(ArgReader.Expression(constant.Groups["rhs"].Value, 0)) is { Kind: TopicExprKind.Literal } value)
                    {
                        state.Facts.TopicConstants ??= new Dictionary<string, string>(StringComparer.Ordinal);
                        state.Facts.TopicConstants.TryAdd(constant.Groups["n"].Value, value.Text);
                    }

                    break;
                case PatternKind.ServiceName:
                    Add(state, seen, PatternKind.ServiceName, ServiceNameValue(state, line, at, p, lineEnd), lineNumber, line, [], "service.name: " + p.Trigger);
                    break;
                case PatternKind.DbUrl:
                    DbUrl(state, seen, line, lineNumber);
                    break;
                case PatternKind.DbDriver:
                    if (ScoutRegex.GoSqlDriver().Match(line) is { Success: true } driver)
                    {
                        Add(state, seen, PatternKind.DbDriver, DriverSystem(driver.Groups["d"].Value), lineNumber, line, [], "database/sql driver sql.Open(\"…\")");
                    }

                    break;
                case PatternKind.Launcher:
                    if (ScoutRegex.PythonLauncher().IsMatch(line))
                    {
                        Add(state, seen, p.Kind, p.Value, lineNumber, line, [], "opentelemetry-instrument launcher");
                    }

                    break;
                case PatternKind.KafkaObservation:
                    if (ScoutRegex.ObservationEnabled().IsMatch(line))
                    {
                        Add(state, seen, PatternKind.Propagation, "kafka", lineNumber, line, [], "spring.kafka observation-enabled: true");
                    }

                    break;
                case PatternKind.Produce or PatternKind.Consume:
                    Add(state, seen, p.Kind, p.Value, lineNumber, line, TopicsOf(state, p, line, at, lineEnd), Words(p));
                    break;
                case PatternKind.TableEntity:
                    if (Table(p.Value, line, at) is { } table)
                    {
                        Add(state, seen, p.Kind, p.Value, lineNumber, line, [new TopicExpr(TopicExprKind.Literal, table)], Words(p));
                    }

                    break;
                default:
                    Add(state, seen, p.Kind, p.Value, lineNumber, line, [], Words(p));
                    break;
            }
        }
    }

    private static void Add(ScanState state, HashSet<(PatternKind, string?)> seen, PatternKind kind, string? value, int lineNumber, string line, IReadOnlyList<TopicExpr> topics, string lookedFor)
    {
        if (seen.Add((kind, value)))
        {
            state.Facts.Hits.Add(new Hit(kind, value, lineNumber, TextFile.Trim(line), topics, lookedFor));
            return;
        }

        // Two patterns on one call (kafkaTemplate.send(new ProducerRecord<>("t", …))): keep the names that resolve.
        var hits = state.Facts.Hits;
        var i = hits.FindLastIndex(h => h.Line == lineNumber && h.Kind == kind && h.Value == value);
        if (i >= 0 && Known(topics) > Known(hits[i].Topics))
        {
            hits[i] = hits[i] with { Topics = topics };
        }
    }

    private static int Known(IReadOnlyList<TopicExpr> topics)
    {
        var n = 0;
        foreach (var t in topics)
        {
            n += t.Kind == TopicExprKind.Dynamic ? 0 : 1;
        }

        return n;
    }

    private static string Words(LinePattern p) => p.Kind switch
    {
        PatternKind.Framework => $"{p.Value} marker {p.Trigger}",
        PatternKind.Entry => $"entry point {p.Trigger}",
        PatternKind.HttpClient => $"HTTP client call {p.Trigger}",
        PatternKind.Produce => $"{p.Value} producer {p.Trigger}",
        PatternKind.Consume => $"{p.Value} consumer {p.Trigger}",
        PatternKind.TableEntity => $"ORM table mapping {p.Trigger}",
        PatternKind.OtelInit => $"OpenTelemetry SDK set-up {p.Trigger}",
        PatternKind.Propagation => $"context propagation ({p.Value}) {p.Trigger}",
        PatternKind.Agent => $"OpenTelemetry agent {p.Trigger}",
        _ => $"{p.Kind} {p.Trigger}",
    };

    private static int IndexOf(string line, LinePattern p)
    {
        var comparison = p.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var at = line.IndexOf(p.Trigger, comparison);
        while (p.WordStart && at > 0 && IsIdentifierChar(line[at - 1]))
        {
            at = line.IndexOf(p.Trigger, at + 1, comparison);
        }

        return at;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>The identifier (with dots) right before a trigger that starts with '.': <c>this.kafkaTemplate</c> for <c>this.kafkaTemplate.send(</c>.</summary>
    private static string Receiver(string line, int at)
    {
        var end = at;
        var start = end;
        while (start > 0 && (IsIdentifierChar(line[start - 1]) || line[start - 1] == '.'))
        {
            start--;
        }

        return line[start..end];
    }

    /// <summary>The line and the next few, from <paramref name="from"/>: enough for a wrapped call or a <c>topic:</c> key below it.</summary>
    private static string Window(ScanState state, string line, int from, int lineEnd)
    {
        var text = state.Text;
        var end = lineEnd;
        for (var i = 0; i < LookaheadLines && end < text.Length; i++)
        {
            var next = text.IndexOf('\n', end + 1);
            end = next < 0 ? text.Length : next;
        }

        return end > lineEnd ? string.Concat(line.AsSpan(from), text.AsSpan(lineEnd, end - lineEnd)) : line[from..];
    }

    private static List<TopicExpr> TopicsOf(ScanState state, LinePattern p, string line, int at, int lineEnd)
    {
        switch (p.Topic)
        {
            case TopicArg.None:
                return [];
            case TopicArg.TopicKey or TopicArg.QueueKey:
            {
                var window = Window(state, line, at, lineEnd);
                var key = (p.Topic == TopicArg.TopicKey ? ScoutRegex.TopicKey() : ScoutRegex.QueueKey()).Match(window);
                return key.Success ? ArgReader.Topics(ArgReader.Expression(window, key.Index + key.Length), list: false) : [];
            }

            default:
            {
                var window = Window(state, line, at + p.Trigger.Length - 1, lineEnd);
                var open = window.IndexOf('(');
                if (open < 0)
                {
                    return [];
                }

                var args = ArgReader.Read(window, open + 1);
                if (args.Count == 0)
                {
                    return [];
                }

                if (p.Topic == TopicArg.Positional)
                {
                    var result = new List<TopicExpr>();
                    foreach (var arg in args)
                    {
                        if (ScoutRegex.KeywordArgument().IsMatch(arg))
                        {
                            break;
                        }

                        result.AddRange(ArgReader.Topics(arg, list: false));
                    }

                    return result;
                }

                return ArgReader.Topics(args[0], list: p.Topic == TopicArg.FirstArgList);
            }
        }
    }

    private static void Sql(ScanState state, string line, int lineEnd, int lineNumber)
    {
        foreach (var regex in (ReadOnlySpan<Regex>)[ScoutRegex.SqlWrite(), ScoutRegex.SqlUpdate(), ScoutRegex.SqlCopy()])
        {
            foreach (Match m in regex.Matches(line))
            {
                AddTable(state, "write", lineNumber, line, m.Groups["t"].Value);
            }
        }

        if (ScoutRegex.SqlSelect().Match(line) is not { Success: true } select)
        {
            return;
        }

        // SELECT … FROM t on the same line, or FROM on one of the next lines of a multi-line string.
        var rest = line[select.Index..];
        var from = ScoutRegex.SqlFrom().Matches(rest);
        if (from.Count == 0 && !rest.Contains(" from", StringComparison.OrdinalIgnoreCase))
        {
            from = ScoutRegex.SqlFrom().Matches(Window(state, line, select.Index, lineEnd));
        }

        foreach (Match m in from)
        {
            AddTable(state, "read", lineNumber, line, m.Groups["t"].Value);
        }
    }

    private static void AddTable(ScanState state, string direction, int lineNumber, string line, string raw)
    {
        var quoted = raw.IndexOfAny(['"', '`', '[']) >= 0;
        var name = raw.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("`", string.Empty, StringComparison.Ordinal)
            .Replace("[", string.Empty, StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal);
        var bare = name.Contains('.', StringComparison.Ordinal) ? name[(name.LastIndexOf('.') + 1)..] : name;
        if (NotTables.Contains(bare) || NotTables.Contains(name.Split('.')[0]) || bare.Length < 2)
        {
            return;
        }

        // Unquoted SQL identifiers are case-insensitive; PostgreSQL folds them to lowercase.
        var table = quoted ? name : name.ToLowerInvariant();
        state.Facts.Hits.Add(new Hit(PatternKind.SqlStatement, direction, lineNumber, TextFile.Trim(line), [new TopicExpr(TopicExprKind.Literal, table)],
            direction == "write" ? "SQL write (INSERT/UPDATE/DELETE/MERGE/COPY)" : "SQL read (SELECT … FROM)"));
    }

    private static string? Table(string? form, string line, int at)
    {
        var rest = line[at..];
        switch (form)
        {
            case "jpa":
                var schemaFirst = ScoutRegex.JpaTableSchemaFirst().Match(rest);
                var jpa = schemaFirst.Success ? schemaFirst : ScoutRegex.JpaTable().Match(rest);
                if (!jpa.Success)
                {
                    return null;
                }

                return jpa.Groups["s"].Success ? $"{jpa.Groups["s"].Value}.{jpa.Groups["t"].Value}" : jpa.Groups["t"].Value;
            case "sqlalchemy":
                return ScoutRegex.SqlAlchemyTable().Match(rest) is { Success: true } sa ? sa.Groups["t"].Value : null;
            case "dbset":
                return ScoutRegex.DbSetTable().Match(rest) is { Success: true } db ? db.Groups["t"].Value : null;
            case "gorm":
                return ScoutRegex.GormTable().Match(rest) is { Success: true } g ? g.Groups["t"].Value : null;
            case "sequelize":
                return ScoutRegex.SequelizeTable().Match(rest) is { Success: true } s ? s.Groups["t"].Value : null;
            default:
                var literals = TopicExpr.Literals(rest);
                return literals.Count > 0 && literals[0].Length > 0 ? literals[0] : null;
        }
    }

    private static string? ServiceNameValue(ScanState state, string line, int at, LinePattern p, int lineEnd)
    {
        string? value = null;
        if (ScoutRegex.ServiceNameValue().Match(line) is { Success: true } m)
        {
            value = m.Groups["v"].Value;
        }
        else if (line.Contains("name:", StringComparison.Ordinal) && p.Trigger == "OTEL_SERVICE_NAME")
        {
            // Kubernetes env list: "- name: OTEL_SERVICE_NAME" with "value: orders" on the next line.
            foreach (var next in Window(state, string.Empty, 0, lineEnd).Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(2))
            {
                if (ScoutRegex.KubernetesEnvValue().Match(next) is { Success: true } v)
                {
                    value = v.Groups["v"].Value;
                    break;
                }
            }
        }
        else
        {
            var literals = TopicExpr.Literals(line[(at + p.Trigger.Length)..]);
            value = literals.Count > 0 ? literals[0] : null;
        }

        return value is null || value.Length == 0 || value.Contains('$', StringComparison.Ordinal) || value.Contains('{', StringComparison.Ordinal) || value.Contains('(', StringComparison.Ordinal)
            ? null
            : value;
    }

    private static void DbUrl(ScanState state, HashSet<(PatternKind, string?)> seen, string line, int lineNumber)
    {
        if (ScoutRegex.DbUrl().Match(line) is { Success: true } url)
        {
            var system = url.Groups["sys"].Value.ToLowerInvariant() switch
            {
                "postgresql" or "postgres" => "postgres",
                "mariadb" => "mysql",
                "sqlserver" => "mssql",
                var s => s,
            };
            Add(state, seen, PatternKind.DbUrl, system, lineNumber, line, [new TopicExpr(TopicExprKind.Literal, url.Groups["db"].Value)], "database URL");
        }
        else if (ScoutRegex.ConnectionStringDatabase().Match(line) is { Success: true } cs)
        {
            Add(state, seen, PatternKind.DbUrl, null, lineNumber, line, [new TopicExpr(TopicExprKind.Literal, cs.Groups["db"].Value)], "connection string Database=");
        }
    }

    private static string? DriverSystem(string driver) => driver switch
    {
        "postgres" or "pgx" => "postgres",
        "mysql" => "mysql",
        "sqlite3" or "sqlite" => "sqlite",
        "sqlserver" or "mssql" => "mssql",
        _ => null,
    };

    /// <summary>Per-file state shared by the lines of one scan.</summary>
    private sealed class ScanState(FileFacts facts, string text)
    {
        private Dictionary<string, bool>? _contains;

        public FileFacts Facts { get; } = facts;

        public string Text { get; } = text;

        public bool FileContains(string value)
        {
            _contains ??= new Dictionary<string, bool>(StringComparer.Ordinal);
            if (!_contains.TryGetValue(value, out var result))
            {
                result = Text.Contains(value, StringComparison.OrdinalIgnoreCase);
                _contains[value] = result;
            }

            return result;
        }
    }
}
