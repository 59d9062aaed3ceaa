using System.Text;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>Comparisons between UTF-8 bytes and the string Google.Protobuf would decode from them.</summary>
internal static class Utf8Text
{
    /// <summary>True when decoding <paramref name="utf8"/> (invalid sequences as U+FFFD) gives <paramref name="text"/>.</summary>
    public static bool Equals(ReadOnlySpan<byte> utf8, string text)
    {
        if (text.Length == utf8.Length)
        {
            if (Ascii.Equals(utf8, text))
            {
                return true;
            }

            if (Ascii.IsValid(utf8))
            {
                return false;
            }
        }
        else if (text.Length > utf8.Length || Ascii.IsValid(utf8))
        {
            // ASCII decodes one char per byte, anything else to at most one UTF-16 unit per byte.
            return false;
        }

        if (utf8.Length > 1024)
        {
            return false;
        }

        Span<char> decoded = stackalloc char[utf8.Length];
        var length = Encoding.UTF8.GetChars(utf8, decoded);
        return decoded[..length].SequenceEqual(text);
    }
}
