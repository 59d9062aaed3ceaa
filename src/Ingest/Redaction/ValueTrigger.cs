namespace Autopilot.Ingest.Redaction;

/// <summary>
/// What a value must contain before a value rule's regular expression is worth running: a cheap, vectorized
/// test that every match of a built-in pattern passes. Rules of other patterns have <see cref="None"/> and run on
/// every value.
/// </summary>
internal enum ValueTrigger
{
    /// <summary>No test: the regular expression runs on every value.</summary>
    None,

    /// <summary><c>bearer</c>, any case.</summary>
    Bearer,

    /// <summary><c>eyJ</c>.</summary>
    Jwt,

    /// <summary><c>AKIA</c> or <c>ASIA</c>.</summary>
    AwsKey,

    /// <summary>An <c>=</c> or <c>:</c> with a secret's name (password, token, …) right before it.</summary>
    PasswordPair,

    /// <summary><c>@</c>.</summary>
    Email,

    /// <summary>13 or more digits in a row, single spaces or dashes between them allowed.</summary>
    CardDigits,
}
