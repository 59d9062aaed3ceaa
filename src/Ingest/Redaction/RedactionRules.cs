namespace Autopilot.Ingest.Redaction;

/// <summary>The built-in redaction rules, on unless disabled by name (README, "Redaction").</summary>
public static class RedactionRules
{
    /// <summary>
    /// Attribute keys whose last part names a secret: <c>db.password</c>, <c>http.request.header.authorization</c>,
    /// <c>x-api-key</c>, <c>access_token</c>, <c>set-cookie</c>. Anchored at the end, so <c>llm.token_count</c>
    /// or <c>gen_ai.usage.input_tokens</c> keep their values.
    /// </summary>
    public const string SecretKeysPattern =
        @"(^|[._\-])(password|passwd|pwd|passphrase|secret|client[_\-]?secret|token|api[_\-]?key|apikey|private[_\-]?key|authorization|proxy-authorization|cookie|set-cookie|credentials?)$";

    /// <summary><c>Bearer &lt;token&gt;</c> as sent in Authorization headers and pasted into logs; the scheme stays.</summary>
    public const string BearerPattern = @"(?i)\bbearer\s+(?<secret>[A-Za-z0-9\-._~+/]{8,}=*)";

    /// <summary>JSON Web Tokens: three base64url parts, the first two starting with <c>eyJ</c> (<c>{"</c>).</summary>
    public const string JwtPattern = @"\beyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*";

    /// <summary>AWS access key ids (long-term <c>AKIA…</c> and temporary <c>ASIA…</c>).</summary>
    public const string AwsAccessKeyPattern = @"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b";

    /// <summary><c>password=…</c>, <c>"token": "…"</c>, <c>api_key: …</c> in query strings, JSON and log text; the name stays.</summary>
    public const string PasswordPairPattern =
        @"(?i)(?<![a-z0-9])(?:password|passwd|pwd|secret|api[_\-]?key|apikey|token)[""']?\s*[=:]\s*(?<secret>""[^""]*""|'[^']*'|[^\s&;,""']+)";

    /// <summary>E-mail addresses (a dot-separated domain ending in a letters-only label).</summary>
    public const string EmailPattern = @"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b";

    /// <summary>
    /// Payment card numbers: 13 to 19 digits (spaces or dashes between them allowed) starting with 2 to 6, the
    /// issuer ranges of Visa, Mastercard, Amex, Discover, JCB, Diners and UnionPay, and Luhn-valid, so order ids,
    /// nanosecond timestamps (which start with 1) and most other long numbers are left alone. The digits must not touch
    /// a letter either: a run of digits inside a hex id or hash (a request id, a commit, a trace id in an attribute) is
    /// part of that id, and about one hex id in a few thousand holds a Luhn-valid run of 13 or more. Nor may they be a
    /// decimal number's part, its fraction after <c>digit.</c> or its whole part before <c>.digit</c>: a double written
    /// in full (<c>0.30000000000000004</c>, a histogram's <c>p99</c> of <c>0.4111111111111111</c>) is a measurement, and
    /// one in ten such fractions starting with 2 to 6 passes the Luhn check.
    /// </summary>
    public const string CardNumberPattern = @"(?<![0-9A-Za-z]|[0-9]\.)[2-6](?:[ \-]?[0-9]){12,18}(?![0-9A-Za-z]|\.[0-9])";

    /// <summary>Names of the built-in rules, in the order they are applied.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["secret-keys", "bearer", "jwt", "aws-access-key", "password-pair", "email", "card-number"];

    /// <summary>A fresh copy of the built-in rules, in the order they are applied.</summary>
    public static IReadOnlyList<RedactionRuleOptions> CreateBuiltIn() =>
    [
        new() { Name = "secret-keys", Key = SecretKeysPattern },
        new() { Name = "bearer", Value = BearerPattern },
        new() { Name = "jwt", Value = JwtPattern },
        new() { Name = "aws-access-key", Value = AwsAccessKeyPattern },
        new() { Name = "password-pair", Value = PasswordPairPattern },
        new() { Name = "email", Value = EmailPattern },
        new() { Name = "card-number", Value = CardNumberPattern, Luhn = true },
    ];
}
