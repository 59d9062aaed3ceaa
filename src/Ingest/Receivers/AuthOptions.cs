namespace Autopilot.Ingest.Receivers;

/// <summary>Bearer-token authentication of both ports. With no tokens every request passes (the loopback default).</summary>
public sealed class AuthOptions
{
    /// <summary>Tokens and their roles. Default none.</summary>
    public List<AuthTokenOptions> Tokens { get; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid token entry (never the token).</summary>
    public void Validate() => _ = Resolve();

    /// <summary>
    /// The tokens with their roles, read from their files and variables now. Throws <see cref="ArgumentException"/>
    /// naming the entry, the file or the variable when one cannot be read or is empty.
    /// </summary>
    public IReadOnlyList<(string Token, AccessRole Role)> Resolve()
    {
        var result = new List<(string, AccessRole)>(Tokens.Count);
        for (var i = 0; i < Tokens.Count; i++)
        {
            var key = $"auth.tokens[{i}]";
            var entry = Tokens[i] ?? throw new ArgumentException($"{key} is empty.");
            var sources = (entry.Token is null ? 0 : 1) + (entry.File is null ? 0 : 1) + (entry.Env is null ? 0 : 1);
            if (sources != 1)
            {
                throw new ArgumentException($"{key}: set exactly one of token, file and env.");
            }

            if (entry.Role is not { } role || !Enum.IsDefined(role))
            {
                throw new ArgumentException($"{key}.role is required: ingest, read or admin.");
            }

            string token;
            if (entry.File is { } file)
            {
                try
                {
                    token = System.IO.File.ReadAllText(file).Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ArgumentException($"{key}.file: cannot read the token file '{file}': {e.Message}", e);
                }

                if (token.Length == 0)
                {
                    throw new ArgumentException($"{key}.file: the token file '{file}' is empty.");
                }
            }
            else if (entry.Env is { } variable)
            {
                token = Environment.GetEnvironmentVariable(variable)?.Trim() ?? string.Empty;
                if (token.Length == 0)
                {
                    throw new ArgumentException($"{key}.env: the environment variable '{variable}' is not set or empty.");
                }
            }
            else
            {
                token = entry.Token!.Trim();
                if (token.Length == 0)
                {
                    throw new ArgumentException($"{key}.token is empty.");
                }
            }

            if (token.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"{key}: the token contains whitespace, which an Authorization header cannot carry.");
            }

            result.Add((token, role));
        }

        return result;
    }
}
