using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// Hashes a schema's names and types into 16 hex characters. Fields are sorted by name at every level
/// and each part is length-prefixed, so no two different schemas share a canonical form.
/// </summary>
internal static class SchemaFingerprint
{
    public static string Compute(ImmutableArray<SchemaField> fields)
    {
        var sb = new StringBuilder(64);
        Append(sb, fields);
        var text = sb.ToString();
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, bytes);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash[..8]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void Append(StringBuilder sb, ImmutableArray<SchemaField> fields)
    {
        var sorted = fields.ToArray();
        Array.Sort(sorted, static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Type, b.Type);
        });
        sb.Append('[');
        foreach (var field in sorted)
        {
            Part(sb, field.Name);
            Part(sb, field.Type ?? string.Empty);
            if (!field.Fields.IsDefaultOrEmpty)
            {
                Append(sb, field.Fields);
            }
        }

        sb.Append(']');
    }

    private static void Part(StringBuilder sb, string value) => sb.Append(value.Length).Append(':').Append(value);
}
