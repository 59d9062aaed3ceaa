using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;

namespace Autopilot.Host.Commands;

/// <summary>The one line a command-line usage error is reported as (exit code 2, README "CLI").</summary>
internal static class UsageErrors
{
    /// <summary>
    /// <paramref name="error"/>'s message, except that a value of the wrong type names what was expected in words
    /// (<c>--grpc-port: 'abc' is not an integer</c>) instead of the .NET type System.CommandLine names.
    /// </summary>
    public static string Describe(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.SymbolResult is OptionResult { Tokens.Count: > 0 } option
            && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal)
            && Problem(option.Option.ValueType, option.Tokens[^1].Value) is { } problem)
        {
            return $"{option.Option.Name}: '{option.Tokens[^1].Value}' {problem}.";
        }

        // AcceptOnlyFromAmong lists the allowed values one per line: one line, naming the option.
        var lines = error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > 1 && error.SymbolResult is OptionResult { Tokens.Count: > 0 } choice && lines[0].EndsWith("Must be one of:", StringComparison.Ordinal))
        {
            return $"{choice.Option.Name}: '{choice.Tokens[^1].Value}' is not one of {string.Join(", ", lines[1..].Select(l => l.Trim('\'')))}.";
        }

        return string.Join(' ', lines);
    }

    private static string? Problem(Type type, string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
        {
            return decimal.TryParse(value, NumberStyles.Float, invariant, out var number)
                ? number == decimal.Truncate(number) ? $"is out of range (at most {(type == typeof(int) ? int.MaxValue : long.MaxValue).ToString(invariant)})" : "is not a whole number"
                : "is not an integer";
        }

        return type == typeof(double) ? "is not a number"
            : type == typeof(bool) ? "is not true or false"
            : null;
    }
}
