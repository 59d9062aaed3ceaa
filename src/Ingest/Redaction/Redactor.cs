using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Redaction;

/// <summary>
/// Applies redaction rules to telemetry: attribute-key rules replace the whole value of a sensitive key,
/// value rules replace what they match inside values and log bodies. Ingest runs every decoded request
/// through it before the write-ahead log, and the RCA runs text through it before it leaves for an LLM.
/// Thread-safe. When nothing matches, every method returns its argument itself and allocates nothing.
/// </summary>
public sealed class Redactor
{
    /// <summary>Key decisions remembered; attribute keys are interned, so real traffic stays far below this.</summary>
    private const int MaxCachedKeys = 16_384;

    /// <summary>Slots of the by-reference key cache (a power of two).</summary>
    private const int KeySlots = 1024;

    /// <summary>Slots of the by-reference cache of values found clean (a power of two).</summary>
    private const int CleanSlots = 4096;

    private static readonly SearchValues<char> s_pairSeparators = SearchValues.Create("=:");

    // Not IndexOfAnyInRange: on this runtime it allocates on every call, SearchValues does not.
    private static readonly SearchValues<char> s_digits = SearchValues.Create("0123456789");

    /// <summary>Match timeout of configured patterns that need the backtracking engine (see <see cref="Compile"/>).</summary>
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Counter<long> s_redactions = new Meter(IngestMetrics.MeterName).CreateCounter<long>(
        "autopilot.ingest.redactions", "{value}", "Values redacted at the ingest edge (or before an LLM call), by rule.");

    private readonly KeyRule[] _keyRules;
    private readonly ValueRule[] _valueRules;
    private readonly string _failClosed;
    private readonly ConcurrentDictionary<string, int> _keyDecisions = new(StringComparer.Ordinal);

    // Attribute keys are interned by the decoder, so the same key is the same string object: a slot per
    // identity hash answers most lookups without hashing the characters. Slots hold immutable entries, so a
    // racing write costs a miss, never a wrong answer.
    private readonly KeyDecision?[] _keySlots = new KeyDecision?[KeySlots];

    // Values up to 128 characters are interned by the decoder too, and most repeat (methods, routes, hosts):
    // a value found clean once is remembered by identity, so its next occurrence costs one hash and compare.
    private readonly string?[] _cleanValues = new string?[CleanSlots];

    // Key arrays none of whose keys a key rule matches, by identity: signals of one shape share their key array, so the
    // per-key lookups are paid once per shape instead of once per attribute. Arrays never change, so this is exact.
    private readonly string[]?[] _cleanKeyArrays = new string[]?[KeySlots];

    // The shortest text any rule can match; shorter values are clean (1 when a rule has no trigger).
    private readonly int _minLength;

    // Anchor groups: sets of characters one of which every value passing a test holds (see Anchors). A test may need more
    // than one group: bearer needs a b and an r, so hex ids (which hold b's, never an r) skip it. By ASCII character, the
    // group bit it belongs to; by ValueTrigger, the groups its test needs (0: not anchored).
    private readonly int[] _anchorGroups = new int[128];
    private readonly int[] _requiredGroups = new int[8];
    private readonly int[] _firstGroup = new int[8];

    // Every group, to stop looking once all were seen; the characters of each group, by bit index.
    private readonly int _allGroups;
    private readonly string[] _groupCharacters;

    // By the groups already seen in a value, the characters still worth looking for (created when first needed): a search
    // restarts only after an anchor of a group not seen before, so a URL with many = costs one search for them.
    private readonly SearchValues<char>?[] _searchUnseen;

    private Redactor(KeyRule[] keyRules, ValueRule[] valueRules, string failClosed)
    {
        _keyRules = keyRules;
        _valueRules = valueRules;
        _failClosed = failClosed;
        _minLength = valueRules.Length == 0 ? int.MaxValue : valueRules.Min(r => MinLength(r.Trigger));
        _groupCharacters = valueRules.SelectMany(r => Anchors(r.Trigger)).Distinct().ToArray();
        _allGroups = (1 << _groupCharacters.Length) - 1;
        _searchUnseen = new SearchValues<char>?[1 << _groupCharacters.Length];
        for (var g = 0; g < _groupCharacters.Length; g++)
        {
            foreach (var c in _groupCharacters[g])
            {
                _anchorGroups[c] |= 1 << g;
            }
        }

        foreach (var trigger in valueRules.Select(r => r.Trigger).Distinct())
        {
            foreach (var group in Anchors(trigger))
            {
                _requiredGroups[(int)trigger] |= 1 << Array.IndexOf(_groupCharacters, group);
            }

            _firstGroup[(int)trigger] = Anchors(trigger) is [var first, ..] ? 1 << Array.IndexOf(_groupCharacters, first) : 0;
        }
    }

    /// <summary>A redactor that changes nothing.</summary>
    public static Redactor None { get; } = new([], [], "[REDACTED]");

    /// <summary>The built-in rules with the default replacement.</summary>
    public static Redactor Default { get; } = Create(new RedactionOptions());

    /// <summary>Whether any rule is active.</summary>
    public bool Enabled => _keyRules.Length + _valueRules.Length > 0;

    /// <summary>Builds the rules of <paramref name="options"/>, which are validated first.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names its key.</exception>
    public static Redactor Create(RedactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.Enabled)
        {
            return None;
        }

        var rules = RedactionRules.CreateBuiltIn().Where(r => !options.Disable.Contains(r.Name!, StringComparer.Ordinal)).ToList();
        foreach (var rule in options.Rules)
        {
            var at = rules.FindIndex(r => string.Equals(r.Name, rule.Name, StringComparison.Ordinal));
            if (at >= 0)
            {
                rules[at] = rule;
            }
            else
            {
                rules.Add(rule);
            }
        }

        var keys = new List<KeyRule>();
        var values = new List<ValueRule>();
        foreach (var rule in rules)
        {
            var replacement = rule.Replacement ?? options.Replacement;
            if (rule.Key is not null)
            {
                keys.Add(new KeyRule(rule.Name!, Compile(rule.Key, RegexOptions.IgnoreCase), replacement));
            }
            else
            {
                var regex = Compile(rule.Value!, RegexOptions.None);
                values.Add(new ValueRule(rule.Name!, regex, replacement, rule.Luhn, regex.GroupNumberFromName("secret"), TriggerOf(rule.Value!, rule.Luhn)));
            }
        }

        return new Redactor([.. keys], [.. values], options.Replacement);
    }

    /// <summary>The attribute the OTLP normalizers render from a span's binary parent id (16 hex digits); see <see cref="IsRenderedKey"/>.</summary>
    public const string ParentIdKey = "span.parent_id";

    /// <summary>
    /// Whether values of attributes named <paramref name="key"/> are what ingest renders from binary or numeric fields, not
    /// text anyone wrote: a span's parent id (about one id in 37,000 is 16 decimal digits passing the card-number test,
    /// which would cut the span from its parent) and OpenLineage's counts (a 4 TB table's <c>dataset.bytes</c> has 13
    /// digits). Value rules do not apply to them; key rules still do. (OTLP metric points' rendered numbers are left alone
    /// by the normalizer itself, which redacts a point's attributes before adding them.)
    /// </summary>
    public static bool IsRenderedKey(string key) => key is ParentIdKey
        or OpenLineage.LineageSignalConventions.Bytes or OpenLineage.LineageSignalConventions.FileCount
        or OpenLineage.LineageSignalConventions.Inputs or OpenLineage.LineageSignalConventions.Outputs
        or OpenLineage.LineageSignalConventions.SchemaFieldCount;

    /// <summary>Whether values of attributes named <paramref name="key"/> are replaced whole.</summary>
    public bool IsSensitiveKey(string key) => KeyRuleFor(key) >= 0;

    /// <summary>
    /// <paramref name="value"/> with every value-rule match replaced; the same instance when nothing matched.
    /// Use it on any text that leaves Autopilot (an LLM prompt, a notification).
    /// </summary>
    public string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < _minLength)
        {
            return value;
        }

        var slot = RuntimeHelpers.GetHashCode(value) & (CleanSlots - 1);
        if (ReferenceEquals(_cleanValues[slot], value))
        {
            return value;
        }

        var redacted = RedactUnshared(value);
        if (ReferenceEquals(redacted, value))
        {
            _cleanValues[slot] = value;
        }

        return redacted;
    }

    /// <summary>
    /// The attributes with sensitive keys' values replaced and value rules applied to the rest; the same
    /// instance when nothing matched.
    /// </summary>
    public SignalAttributes Redact(SignalAttributes attributes)
    {
        if (!Enabled || attributes.Count == 0)
        {
            return attributes;
        }

        string[]? values = null;
        var keys = attributes.KeyArray;
        var keySlot = RuntimeHelpers.GetHashCode(keys) & (KeySlots - 1);
        var cleanKeys = _keyRules.Length == 0 || ReferenceEquals(_cleanKeyArrays[keySlot], keys);
        var sensitiveKeys = false;
        for (var i = 0; i < attributes.Count; i++)
        {
            var value = attributes.ValueAt(i);
            var keyRule = cleanKeys ? -1 : KeyRuleFor(keys[i]);
            sensitiveKeys |= keyRule >= 0;
            var redacted = AttributeValue(keyRule, keys[i], value, shared: true);

            if (!ReferenceEquals(redacted, value))
            {
                values ??= attributes.CopyValues();
                values[i] = redacted;
            }
        }

        if (!cleanKeys && !sensitiveKeys)
        {
            _cleanKeyArrays[keySlot] = keys;
        }

        return values is null ? attributes : attributes.WithValues(values);
    }

    /// <summary>
    /// The value an attribute named <paramref name="key"/> keeps: the replacement when a key rule matches the key (and the
    /// value is not empty), else <paramref name="value"/> with value rules applied (none for <see cref="IsRenderedKey"/>); the
    /// same instance when nothing matched. What <see cref="Redact(SignalAttributes)"/> does to each attribute. <paramref name="shared"/> false: a string made
    /// for one item alone, judged without the cache of clean values (<see cref="RedactUnshared"/>).
    /// </summary>
    internal string RedactAttribute(string key, string value, bool shared = true) => AttributeValue(KeyRuleFor(key), key, value, shared);

    /// <summary>What an attribute keeps once its key rule (<paramref name="keyRule"/>, -1 for none) is known; see <see cref="RedactAttribute"/>.</summary>
    private string AttributeValue(int keyRule, string key, string value, bool shared) =>
        keyRule >= 0 ? ReplaceForKey(keyRule, value)
        : IsRenderedKey(key) ? value
        : shared ? Redact(value)
        : RedactUnshared(value);

    /// <summary>What a value of a key matched by key rule <paramref name="keyRule"/> becomes: the rule's replacement, unless empty.</summary>
    internal string ReplaceForKey(int keyRule, string value)
    {
        var replacement = _keyRules[keyRule].Replacement;
        if (value.Length == 0 || ReferenceEquals(value, replacement))
        {
            return value;
        }

        s_redactions.Add(1, new KeyValuePair<string, object?>("rule", _keyRules[keyRule].Name));
        return replacement;
    }

    /// <summary>
    /// <see cref="Redact(string)"/> for a string that will not be seen again as the same object (a request id, a URL
    /// decoded for one item): the same answer, without remembering it in or looking it up in the cache of clean values.
    /// </summary>
    internal string RedactUnshared(string value)
    {
        if (value.Length < _minLength)
        {
            return value;
        }

        try
        {
            var first = FirstMatchingRule(value);
            return first < 0 ? value : Replace(value, first);
        }
        catch (RegexMatchTimeoutException)
        {
            // A value that takes a rule this long to search is not worth the risk: fail closed.
            s_redactions.Add(1, new KeyValuePair<string, object?>("rule", "timeout"));
            return _failClosed;
        }
    }

    /// <summary>The signal with its attributes and name (span name, log body, event type) redacted; the same value when nothing matched.</summary>
    public Signal Redact(in Signal signal)
    {
        var attributes = Redact(signal.Attributes);
        var name = Redact(signal.Name);
        return attributes == signal.Attributes && ReferenceEquals(name, signal.Name)
            ? signal
            : signal with { Attributes = attributes, Name = name };
    }

    /// <summary>Redacts every signal in place; returns how many changed.</summary>
    public int Redact(Span<Signal> signals)
    {
        if (!Enabled)
        {
            return 0;
        }

        var changed = 0;

        // Signals of one item (a span and its topic record) share one attribute list: redact it once. The empty list
        // redacts to itself, so that is where the pair starts.
        SignalAttributes lastIn = default, lastOut = default;
        foreach (ref var signal in signals)
        {
            SignalAttributes attributes;
            if (signal.Attributes == lastIn)
            {
                attributes = lastOut;
            }
            else
            {
                lastIn = signal.Attributes;
                attributes = lastOut = Redact(signal.Attributes);
            }

            var name = Redact(signal.Name);
            if (attributes != signal.Attributes || !ReferenceEquals(name, signal.Name))
            {
                signal = signal with { Attributes = attributes, Name = name };
                changed++;
            }
        }

        return changed;
    }

    /// <summary>The index of the first key rule matching <paramref name="key"/>, or -1 (see <see cref="ReplaceForKey"/>).</summary>
    internal int KeyRuleFor(string key)
    {
        if (_keyRules.Length == 0)
        {
            return -1;
        }

        var slot = RuntimeHelpers.GetHashCode(key) & (KeySlots - 1);
        if (_keySlots[slot] is { } cached && ReferenceEquals(cached.Key, key))
        {
            return cached.Rule;
        }

        if (!_keyDecisions.TryGetValue(key, out var rule))
        {
            rule = -1;
            for (var i = 0; i < _keyRules.Length; i++)
            {
                try
                {
                    if (_keyRules[i].Regex.IsMatch(key))
                    {
                        rule = i;
                        break;
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    rule = i;
                    break;
                }
            }

            if (_keyDecisions.Count < MaxCachedKeys)
            {
                _keyDecisions.TryAdd(key, rule);
            }
        }

        _keySlots[slot] = new KeyDecision(key, rule);
        return rule;
    }

    private int FirstMatchingRule(string value)
    {
        // Most values that reach here (ids, addresses, amounts, paths) hold no anchor of most tests: then only the tests
        // whose groups they hold all of, the card-number test and rules without a test can pass.
        var groups = AnchorGroups(value);
        for (var i = 0; i < _valueRules.Length; i++)
        {
            var rule = _valueRules[i];
            var required = _requiredGroups[(int)rule.Trigger];
            if ((groups & required) != required || !MayMatch(rule.Trigger, value))
            {
                continue;
            }

            if (rule.Luhn)
            {
                foreach (var m in rule.Regex.EnumerateMatches(value))
                {
                    if (LuhnValid(value.AsSpan(m.Index, m.Length)))
                    {
                        return i;
                    }
                }
            }
            else if (rule.Regex.IsMatch(value))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The anchor groups (bits, see <see cref="Anchors"/>) one of whose characters <paramref name="value"/> holds.</summary>
    private int AnchorGroups(ReadOnlySpan<char> value)
    {
        var seen = 0;
        while (seen != _allGroups)
        {
            var at = value.IndexOfAny(_searchUnseen[seen] ?? SearchUnseen(seen));
            if (at < 0)
            {
                break;
            }

            seen |= _anchorGroups[value[at]];
            value = value[(at + 1)..];
        }

        return seen;
    }

    /// <summary>
    /// Creates the search for the anchors still worth looking for after <paramref name="seen"/>: of groups not seen yet, a
    /// test's first group always, its others only once its first was seen (an r matters only in a value with a b). A race
    /// creates an equal search twice.
    /// </summary>
    private SearchValues<char> SearchUnseen(int seen)
    {
        var characters = new System.Text.StringBuilder();
        for (var g = 0; g < _groupCharacters.Length; g++)
        {
            var bit = 1 << g;
            var worth = false;
            for (var t = 0; t < _requiredGroups.Length; t++)
            {
                worth |= (seen & bit) == 0 && (_requiredGroups[t] & bit) != 0 && (_firstGroup[t] & (bit | seen)) != 0;
            }

            if (worth)
            {
                characters.Append(_groupCharacters[g]);
            }
        }

        return _searchUnseen[seen] = SearchValues.Create(characters.ToString());
    }

    /// <summary>Whether a value passes <paramref name="trigger"/>'s test (see <see cref="ValueTrigger"/>).</summary>
    private static bool MayMatch(ValueTrigger trigger, ReadOnlySpan<char> value) => trigger switch
    {
        ValueTrigger.None => true,
        ValueTrigger.Bearer => value.Length >= 15 && ContainsBearer(value),
        ValueTrigger.Jwt => value.Length >= 20 && value.Contains("eyJ", StringComparison.Ordinal),
        ValueTrigger.AwsKey => value.Length >= 20 && (value.Contains("AKIA", StringComparison.Ordinal) || value.Contains("ASIA", StringComparison.Ordinal)),
        ValueTrigger.PasswordPair => HasSecretPair(value),
        ValueTrigger.Email => value.Contains('@'),
        ValueTrigger.CardDigits => HasLongDigitRun(value),
        _ => true,
    };

    /// <summary>
    /// Groups of characters every value that passes the test holds one of each (none: no such set, e.g. digits are too
    /// common). Bearer needs both a b and an r: the b alone is in most hex ids, the r in none. A group after the first is
    /// looked for only after the first group's first occurrence, so it must follow that in every passing value (the r of
    /// "bearer" follows the value's first b, wherever that is).
    /// </summary>
    private static string[] Anchors(ValueTrigger trigger) => trigger switch
    {
        ValueTrigger.Bearer => ["bB", "rR"],
        ValueTrigger.Jwt => ["J"],
        ValueTrigger.AwsKey => ["I"],
        ValueTrigger.PasswordPair => ["=:"],
        ValueTrigger.Email => ["@"],
        _ => [],
    };

    private static int MinLength(ValueTrigger trigger) => trigger switch
    {
        ValueTrigger.Bearer => 15,
        ValueTrigger.Jwt or ValueTrigger.AwsKey => 20,
        ValueTrigger.PasswordPair => 5,
        ValueTrigger.Email => 6,
        ValueTrigger.CardDigits => 13,
        _ => 1,
    };

    /// <summary>
    /// Whether <c>bearer</c> occurs in any case: exactly <c>Contains("bearer", StringComparison.OrdinalIgnoreCase)</c>, which
    /// with invariant globalization runs a scalar case-insensitive search over every value (a tenth of the decode path's
    /// CPU in a profile). Only ASCII letters fold to <c>b</c>, <c>e</c>, <c>a</c> and <c>r</c> under ordinal case
    /// folding (the non-ASCII letters that fold to ASCII are <c>ı</c> and <c>ſ</c>, to I and S), so a vectorized search
    /// for <c>b</c>/<c>B</c> and an ASCII comparison of the six characters there give the same answer.
    /// </summary>
    internal static bool ContainsBearer(ReadOnlySpan<char> value)
    {
        const int length = 6;
        var i = 0;
        while (value.Length - i >= length)
        {
            var next = value[i..(value.Length - length + 1)].IndexOfAny('b', 'B');
            if (next < 0)
            {
                return false;
            }

            i += next;
            if (System.Text.Ascii.EqualsIgnoreCase(value.Slice(i, length), "bearer"))
            {
                return true;
            }

            i++;
        }

        return false;
    }

    /// <summary>
    /// Whether some <c>=</c> or <c>:</c> has a secret's name before it (quotes and spaces between allowed), the
    /// shape of every password-pair match.
    /// </summary>
    internal static bool HasSecretPair(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length)
        {
            var next = value[i..].IndexOfAny(s_pairSeparators);
            if (next < 0)
            {
                return false;
            }

            i += next;

            // The pattern reads name, an optional quote, spaces, then the separator: walk back over them.
            var end = i;
            while (end > 0 && char.IsWhiteSpace(value[end - 1]))
            {
                end--;
            }

            if (end > 0 && value[end - 1] is '"' or '\'')
            {
                end--;
            }

            if (EndsWithSecretName(value[..end]))
            {
                return true;
            }

            i++;
        }

        return false;
    }

    // Every name ends in d, t, n or y, and no other character equals one of those ignoring case ordinally: most words
    // (https, page) are ruled out before any comparison, the rest compared only with the names ending in their letter.
    private static bool EndsWithSecretName(ReadOnlySpan<char> word) => word.Length >= 3 && (word[^1] | 0x20) switch
    {
        'd' => word.EndsWith("password", StringComparison.OrdinalIgnoreCase) || word.EndsWith("passwd", StringComparison.OrdinalIgnoreCase)
            || word.EndsWith("pwd", StringComparison.OrdinalIgnoreCase),
        't' => word.EndsWith("secret", StringComparison.OrdinalIgnoreCase),
        'n' => word.EndsWith("token", StringComparison.OrdinalIgnoreCase),
        'y' => word.EndsWith("apikey", StringComparison.OrdinalIgnoreCase) || word.EndsWith("api_key", StringComparison.OrdinalIgnoreCase)
            || word.EndsWith("api-key", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Whether the value holds 13 or more digits in a row, single spaces or dashes between them allowed (a card number's shape).</summary>
    internal static bool HasLongDigitRun(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (value.Length - i >= 13)
        {
            // A run of 13 digits is at least 13 characters long, so a run starting between i and i + 12 covers i + 12:
            // when that character cannot be in a run, no run starts before it, and the search skips 13 characters with
            // one comparison (most values are letters, hex ids and paths with short digit groups).
            var probe = i + 12;
            if (!IsRunCharacter(value[probe]))
            {
                i = probe + 1;
                continue;
            }

            // Back to where the digits and separators around the probe start: a run starting there or later may cover it.
            while (probe > i && IsRunCharacter(value[probe - 1]))
            {
                probe--;
            }

            if (!char.IsAsciiDigit(value[probe]))
            {
                var next = value[probe..].IndexOfAny(s_digits);
                if (next < 0)
                {
                    return false;
                }

                probe += next;
            }

            i = probe;
            var digits = 0;
            while (i < value.Length)
            {
                var c = value[i];
                if (char.IsAsciiDigit(c))
                {
                    digits++;
                    i++;
                }
                else if (c is ' ' or '-' && i + 1 < value.Length && char.IsAsciiDigit(value[i + 1]))
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (digits >= 13)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRunCharacter(char c) => char.IsAsciiDigit(c) || c is ' ' or '-';

    private string Replace(string value, int first)
    {
        for (var i = first; i < _valueRules.Length; i++)
        {
            var rule = _valueRules[i];
            if (i > first && !MayMatch(rule.Trigger, value))
            {
                continue;
            }

            var count = 0;
            value = rule.Regex.Replace(value, m =>
            {
                if (rule.Luhn && !LuhnValid(m.ValueSpan))
                {
                    return m.Value;
                }

                count++;
                if (rule.SecretGroup >= 0 && m.Groups[rule.SecretGroup] is { Success: true } secret)
                {
                    return string.Concat(m.ValueSpan[..(secret.Index - m.Index)], rule.Replacement, m.ValueSpan[(secret.Index - m.Index + secret.Length)..]);
                }

                return rule.Replacement;
            });
            if (count > 0)
            {
                s_redactions.Add(count, new KeyValuePair<string, object?>("rule", rule.Name));
            }
        }

        return value;
    }

    /// <summary>The Luhn checksum over the digits of <paramref name="text"/> (separators skipped).</summary>
    internal static bool LuhnValid(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var digits = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c is < '0' or > '9')
            {
                continue;
            }

            var d = c - '0';
            if ((digits & 1) == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits >= 13 && sum % 10 == 0;
    }

    /// <summary>
    /// The built-in patterns are fixed and reviewed (no nested quantifiers over overlapping classes), so they
    /// run compiled and without a match timeout: a wall-clock timeout also fires when the thread is merely
    /// descheduled (or the pattern's code is being JIT-compiled on a loaded machine), and failing closed then
    /// would replace clean values. Configured patterns run on the non-backtracking engine, linear in the
    /// value's length, unless they need what it lacks (lookarounds, backreferences); those backtrack with a
    /// 1 s timeout and fail closed.
    /// </summary>
    private static Regex Compile(string pattern, RegexOptions options)
    {
        if (pattern == RedactionRules.SecretKeysPattern || TriggerOf(pattern, luhn: true) != ValueTrigger.None)
        {
            return new Regex(pattern, options | RegexOptions.Compiled | RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
        }

        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options | RegexOptions.Compiled | RegexOptions.CultureInvariant, s_matchTimeout);
        }
    }

    /// <summary>The test that rules values out before a built-in pattern runs; <see cref="ValueTrigger.None"/> for other patterns.</summary>
    private static ValueTrigger TriggerOf(string pattern, bool luhn) => pattern switch
    {
        RedactionRules.BearerPattern => ValueTrigger.Bearer,
        RedactionRules.JwtPattern => ValueTrigger.Jwt,
        RedactionRules.AwsAccessKeyPattern => ValueTrigger.AwsKey,
        RedactionRules.PasswordPairPattern => ValueTrigger.PasswordPair,
        RedactionRules.EmailPattern => ValueTrigger.Email,
        RedactionRules.CardNumberPattern when luhn => ValueTrigger.CardDigits,
        _ => ValueTrigger.None,
    };

    private sealed record KeyDecision(string Key, int Rule);

    private sealed record KeyRule(string Name, Regex Regex, string Replacement);

    private sealed record ValueRule(string Name, Regex Regex, string Replacement, bool Luhn, int SecretGroup, ValueTrigger Trigger);
}
