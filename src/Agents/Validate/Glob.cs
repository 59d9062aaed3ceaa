namespace Autopilot.Agents.Validate;

/// <summary>Name patterns of expect.yaml: exact text, where each <c>*</c> stands for any run of characters.</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string text)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(pattern, text, StringComparison.Ordinal);
        }

        // Iterative wildcard match with one backtrack point: linear in practice, no regex to escape.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
