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

        return error.Message;
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
