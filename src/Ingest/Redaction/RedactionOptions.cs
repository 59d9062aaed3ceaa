using System.Text.RegularExpressions;

namespace Autopilot.Ingest.Redaction;

/// <summary>
/// What is redacted from telemetry before it is stored or sent to an LLM. Every default lives here and in
/// <see cref="RedactionRules.CreateBuiltIn"/>.
/// </summary>
public sealed class RedactionOptions
{
    /// <summary>Whether anything is redacted. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What a redacted value (or the secret part of it) becomes unless its rule says otherwise. Default <c>[REDACTED]</c>.</summary>
    public string Replacement { get; set; } = "[REDACTED]";

    /// <summary>Built-in rules turned off, by name (for example <c>email</c>). Default none.</summary>
    public List<string> Disable { get; } = [];

    /// <summary>Rules added to the built-in ones; one with a built-in name replaces that rule. Default none.</summary>
    public List<RedactionRuleOptions> Rules { get; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Replacement is null)
        {
            throw new ArgumentException("redaction.replacement must not be null; use \"\" to remove matches.");
        }

        var builtIn = RedactionRules.BuiltInNames;
        for (var i = 0; i < Disable.Count; i++)
        {
            if (!builtIn.Contains(Disable[i]))
            {
                throw new ArgumentException($"redaction.disable[{i}]: '{Disable[i]}' is not a built-in rule; built-in rules are {string.Join(", ", builtIn)}.");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            var key = $"redaction.rules[{i}]";
            var rule = Rules[i] ?? throw new ArgumentException($"{key} is empty.");
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                throw new ArgumentException($"{key}.name is required.");
            }

            if (!names.Add(rule.Name))
            {
                throw new ArgumentException($"{key}.name: the rule name '{rule.Name}' is used twice.");
            }

            if (string.IsNullOrEmpty(rule.Key) == string.IsNullOrEmpty(rule.Value))
            {
                throw new ArgumentException($"{key}: set exactly one of key (a pattern for attribute keys) and value (a pattern for values) (rule '{rule.Name}').");
            }

            var pattern = rule.Key ?? rule.Value!;
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{key}.{(rule.Key is null ? "value" : "key")}: '{pattern}' is not a valid regular expression: {e.Message}", e);
            }

            if (rule.Luhn && rule.Key is not null)
            {
                throw new ArgumentException($"{key}.luhn applies to value rules only (rule '{rule.Name}').");
            }
        }
    }
}
