namespace Autopilot.Host.Configuration;

/// <summary>How an option property is written in a configuration file.</summary>
internal enum ConfigValueKind
{
    /// <summary>One value: a string, number, bool, duration, enum name, IP address or URL.</summary>
    Scalar,

    /// <summary>A nested section bound to an options object.</summary>
    Section,

    /// <summary>A list (<c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c> or an array).</summary>
    List,

    /// <summary>A map with string keys (<c>Dictionary&lt;string, T&gt;</c>).</summary>
    Map,
}
