namespace Autopilot.Agents.Scout.Facts;

/// <summary>Reads call arguments and bracketed lists out of source text, honouring quotes and nesting.</summary>
internal static class ArgReader
{
    /// <summary>The top-level arguments of a call whose '(' (or '{' / '[') is just before <paramref name="start"/>; stops at the matching close or the end of <paramref name="text"/>.</summary>
    public static List<string> Read(string text, int start)
    {
        var args = new List<string>();
        var depth = 0;
        var from = start;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    break;
                }

                i = end;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    Add(args, text, from, i);
                    return args;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                Add(args, text, from, i);
                from = i + 1;
            }
        }

        Add(args, text, from, text.Length);
        return args;
    }

    /// <summary>The expression starting at <paramref name="start"/>: a bracketed list, or text up to a top-level ',', ')', '}', ';' or line end.</summary>
    public static string Expression(string text, int start)
    {
        while (start < text.Length && text[start] is ' ' or '\t')
        {
            start++;
        }

        if (start < text.Length && text[start] is '[' or '{')
        {
            var inner = Read(text, start + 1);
            return "[" + string.Join(",", inner) + "]";
        }

        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    return text[start..];
                }

                i = end;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (depth > 0 && c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (depth == 0 && c is ',' or ')' or '}' or ']' or ';' or '\n' or '\r')
            {
                return text[start..i];
            }
        }

        return text[start..];
    }

    /// <summary>Topic expressions in an argument: each string of a list (<c>List.of("a", "b")</c>, <c>[]string{"a"}</c>, <c>['a']</c>), else the argument itself.</summary>
    public static List<TopicExpr> Topics(string argument, bool list)
    {
        var result = new List<TopicExpr>();
        var a = argument.Trim();
        if (list || a.StartsWith('[') || a.StartsWith('{'))
        {
            // Unwrap List.of(...), Arrays.asList(...), listOf(...), []string{...}, {...}, [...].
            var open = a.IndexOfAny(['(', '{', '[']);
            if (open >= 0 && (open == 0 || IsWrapper(a[..open])))
            {
                foreach (var inner in Read(a, open + 1))
                {
                    if (TopicExpr.Parse(inner) is { } e)
                    {
                        result.Add(e);
                    }
                }

                return result;
            }
        }

        if (TopicExpr.Parse(a) is { } single)
        {
            result.Add(single);
        }

        return result;
    }

    private static bool IsWrapper(string head)
    {
        head = head.Trim();
        return head is "List.of" or "Set.of" or "Arrays.asList" or "Collections.singletonList" or "Collections.singleton" or "listOf" or "setOf" or "arrayOf"
            or "new[]" or "new List<string>" or "new string[]" or "[]string" or "Pattern.compile";
    }

    private static void Add(List<string> args, string text, int from, int to)
    {
        var arg = text[from..to].Trim();
        if (arg.Length > 0)
        {
            args.Add(arg);
        }
    }
}
