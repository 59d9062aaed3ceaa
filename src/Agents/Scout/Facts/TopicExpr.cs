namespace Autopilot.Agents.Scout.Facts;

/// <summary>A topic or queue name as written at a call site, before resolution.</summary>
/// <param name="Kind">Literal, identifier, placeholder or dynamic.</param>
/// <param name="Text">The literal's value, the identifier's last element, the placeholder's key (with <c>:default</c> if any), or the raw text.</param>
internal readonly record struct TopicExpr(TopicExprKind Kind, string Text)
{
    private static readonly string[] EnvLookups = ["getenv", "environ", "GetEnvironmentVariable", "os.Getenv", "LookupEnv"];

    /// <summary>Classifies one argument expression.</summary>
    public static TopicExpr? Parse(string expression)
    {
        var e = expression.Trim();
        if (e.Length == 0)
        {
            return null;
        }

        if (e.Contains("process.env", StringComparison.Ordinal))
        {
            // process.env.ORDERS_TOPIC || 'orders' / ?? 'orders': the fallback literal is the name in development.
            return Literals(e) is { Count: > 0 } fallback ? new TopicExpr(TopicExprKind.Literal, fallback[^1]) : new TopicExpr(TopicExprKind.Dynamic, e);
        }

        foreach (var lookup in EnvLookups)
        {
            if (e.Contains(lookup, StringComparison.Ordinal))
            {
                // getenv("ORDERS_TOPIC", "orders"): the second literal is the default; without one the name is unknown.
                var literals = Literals(e);
                return literals.Count >= 2 ? new TopicExpr(TopicExprKind.Literal, literals[^1]) : new TopicExpr(TopicExprKind.Dynamic, e);
            }
        }

        if (e.StartsWith("new ", StringComparison.Ordinal) || e.StartsWith("await ", StringComparison.Ordinal))
        {
            return new TopicExpr(TopicExprKind.Dynamic, e);
        }

        if (e[0] == '&')
        {
            e = e[1..].TrimStart(); // Go: Topic: &topic
        }

        if (e[0] is '"' or '\'' or '`')
        {
            var end = e.IndexOf(e[0], 1);
            var value = end < 0 ? e[1..] : e[1..end];
            if (value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}'))
            {
                return new TopicExpr(TopicExprKind.Placeholder, value[2..^1]);
            }

            // Anything after the closing quote ("orders-" + env, "orders".format(…), "a" if x else "b") makes it dynamic.
            var rest = end < 0 ? string.Empty : e[(end + 1)..].Trim();
            if (value.Length == 0 || value.Contains("${", StringComparison.Ordinal) || value.Contains('{') || value.Contains('%') || rest.Length > 0)
            {
                return new TopicExpr(TopicExprKind.Dynamic, e);
            }

            return new TopicExpr(TopicExprKind.Literal, value);
        }

        if (e.Length > 1 && e[0] is 'f' or 'F' && e[1] is '"' or '\'')
        {
            return new TopicExpr(TopicExprKind.Dynamic, e); // Python f-string
        }

        // An identifier path: TOPIC, Topics.ORDERS, self.topic, settings.ORDERS_TOPIC.
        var length = 0;
        while (length < e.Length && (char.IsLetterOrDigit(e[length]) || e[length] is '_' or '$' or '.'))
        {
            length++;
        }

        if (length == 0 || char.IsDigit(e[0]) || (length < e.Length && e[length..].TrimStart().StartsWith('(')))
        {
            return new TopicExpr(TopicExprKind.Dynamic, e);
        }

        var path = e[..length].TrimEnd('.');
        var dot = path.LastIndexOf('.');
        return new TopicExpr(TopicExprKind.Identifier, dot < 0 ? path : path[(dot + 1)..]);
    }

    /// <summary>Every quoted string in the text, in order.</summary>
    public static List<string> Literals(string text)
    {
        var result = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            var q = text[i];
            if (q is not ('"' or '\'' or '`'))
            {
                continue;
            }

            var end = text.IndexOf(q, i + 1);
            if (end < 0)
            {
                break;
            }

            result.Add(text[(i + 1)..end]);
            i = end;
        }

        return result;
    }
}
