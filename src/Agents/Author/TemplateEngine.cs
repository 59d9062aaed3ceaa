using System.Globalization;
using System.Text;
using System.Text.Json;
using HandlebarsDotNet;

namespace Autopilot.Agents.Author;

/// <summary>
/// Handlebars.Net set up for code rather than HTML: no escaping, an unknown variable is an error (a typo in a template
/// must not silently render as nothing), and helpers for the quoting that code needs:
/// <c>{{json x}}</c> (a double-quoted string literal valid in JSON, JavaScript, Java, C#, Go, Python and YAML),
/// <c>{{pascal x}}</c>, <c>{{snake x}}</c>, <c>{{lower x}}</c>, and <c>(eq a b)</c> for <c>#if</c>.
/// </summary>
internal sealed class TemplateEngine
{
    private readonly IHandlebars _handlebars;

    public TemplateEngine()
    {
        _handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = true });
        _handlebars.RegisterHelper("json", (in HelperOptions _, in Context _, in Arguments args) => JsonSerializer.Serialize(Text(args, 0)));
        _handlebars.RegisterHelper("pascal", (in HelperOptions _, in Context _, in Arguments args) => Pascal(Text(args, 0)));
        _handlebars.RegisterHelper("snake", (in HelperOptions _, in Context _, in Arguments args) => Snake(Text(args, 0)));
        _handlebars.RegisterHelper("lower", (in HelperOptions _, in Context _, in Arguments args) => Text(args, 0).ToLowerInvariant());
        _handlebars.RegisterHelper("eq", (in HelperOptions _, in Context _, in Arguments args) => string.Equals(Text(args, 0), Text(args, 1), StringComparison.Ordinal));
    }

    /// <summary>Compiles a template; a syntax error is a <see cref="TemplateException"/> naming <paramref name="origin"/>.</summary>
    public Func<object, string> Compile(string text, string origin)
    {
        HandlebarsTemplate<object, object> compiled;
        try
        {
            compiled = _handlebars.Compile(text);
        }
        catch (HandlebarsException e)
        {
            throw new TemplateException($"{origin}: {e.Message}");
        }

        return data =>
        {
            try
            {
                return compiled(data);
            }
            catch (Exception e) when (e is HandlebarsException or HandlebarsDotNet.Compiler.HandlebarsUndefinedBindingException)
            {
                throw new TemplateException($"{origin}: {e.Message}");
            }
        };
    }

    /// <summary><c>order-service</c> → <c>OrderService</c>.</summary>
    public static string Pascal(string text)
    {
        var sb = new StringBuilder(text.Length);
        var upper = true;
        foreach (var c in text)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, 'S');
        }

        return sb.ToString();
    }

    /// <summary><c>Order-Service</c> → <c>order_service</c> (a valid identifier in every target language).</summary>
    public static string Snake(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }

        var s = sb.ToString().Trim('_');
        return s.Length == 0 || char.IsDigit(s[0]) ? "s_" + s : s;
    }

    private static string Text(Arguments args, int index) =>
        index < args.Length ? Convert.ToString(args[index], CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
}
