using System.Globalization;
using System.Text;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// The path of the element being read, kept as a stack of segments so the happy path allocates
/// nothing for it; the string is built only when an error needs it.
/// </summary>
internal sealed class JsonPathTracker
{
    private readonly List<string?> _names = new(16);
    private readonly List<int> _indices = new(16);

    public void PushProperty(string name)
    {
        _names.Add(name);
        _indices.Add(-1);
    }

    public void PushIndex(int index)
    {
        _names.Add(null);
        _indices.Add(index);
    }

    public void Pop()
    {
        _names.RemoveAt(_names.Count - 1);
        _indices.RemoveAt(_indices.Count - 1);
    }

    public string Describe(string? child = null)
    {
        var sb = new StringBuilder("$");
        for (var i = 0; i < _names.Count; i++)
        {
            Append(sb, _names[i], _indices[i]);
        }

        if (child is not null)
        {
            Append(sb, child, -1);
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string? name, int index)
    {
        if (name is null)
        {
            sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        else if (IsPlain(name))
        {
            sb.Append('.').Append(name);
        }
        else
        {
            sb.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
    }

    private static bool IsPlain(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
