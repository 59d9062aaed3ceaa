namespace Autopilot.Engines.Drift;

/// <summary>
/// What the drift engine tracks under the names of one URN. A service has few span and metric names, so they sit in
/// a short array compared by reference first (a stream repeats the same name strings): one array and the shapes
/// themselves are touched, where a dictionary per URN touched its buckets and entries and hashed the name on every
/// signal. Past <see cref="ListLimit"/> names a dictionary takes over, so a URN with many names stays one lookup.
/// </summary>
internal sealed class UrnNames
{
    private const int ListLimit = 8;
    private NameShapes[] _list = new NameShapes[2];
    private int _count;
    private Dictionary<string, NameShapes>? _byName;

    /// <summary>The shapes tracked under <paramref name="name"/>, or null.</summary>
    public NameShapes? Find(string name)
    {
        if (_byName is not null)
        {
            return _byName.GetValueOrDefault(name);
        }

        var list = _list;
        for (var i = 0; i < _count; i++)
        {
            var shapes = list[i];
            if (ReferenceEquals(shapes.Name, name) || string.Equals(shapes.Name, name, StringComparison.Ordinal))
            {
                return shapes;
            }
        }

        return null;
    }

    public NameShapes GetOrAdd(string name)
    {
        if (Find(name) is { } found)
        {
            return found;
        }

        var shapes = new NameShapes(name);
        if (_byName is not null)
        {
            _byName.Add(name, shapes);
        }
        else if (_count < ListLimit)
        {
            if (_count == _list.Length)
            {
                Array.Resize(ref _list, _list.Length * 2);
            }

            _list[_count++] = shapes;
        }
        else
        {
            _byName = new Dictionary<string, NameShapes>(StringComparer.Ordinal);
            for (var i = 0; i < _count; i++)
            {
                _byName.Add(_list[i].Name, _list[i]);
            }

            _byName.Add(name, shapes);
            _list = [];
            _count = 0;
        }

        return shapes;
    }
}
