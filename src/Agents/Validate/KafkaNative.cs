using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Autopilot.Agents.Validate;

/// <summary>
/// Loads librdkafka for Confluent.Kafka 1.9.3 (referenced without its librdkafka.redist package, which the NuGet
/// mirror lacks): Debian's librdkafka1 ships only <c>librdkafka.so.1</c>, and the client asks for "librdkafka" and
/// "libdl" by names that exist only with the -dev packages, so a DllImport resolver maps them.
/// </summary>
internal static class KafkaNative
{
    private static readonly Lock Gate = new();
    private static string? _error;
    private static bool _tried;

    /// <summary>Null once librdkafka is loaded; otherwise why it cannot be (the same answer on every call).</summary>
    public static string? TryLoad()
    {
        lock (Gate)
        {
            if (_tried)
            {
                return _error;
            }

            _tried = true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
                Library.Load("librdkafka.so.1");
                _error = null;
            }
            catch (Exception e) when (e is DllNotFoundException or InvalidOperationException or BadImageFormatException or EntryPointNotFoundException)
            {
                _error = $"librdkafka could not be loaded ({e.Message}); install it (Debian/Ubuntu: apt-get install librdkafka1)";
            }

            return _error;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        "libdl" => NativeLibrary.Load("libdl.so.2"),
        "librdkafka" => NativeLibrary.Load("librdkafka.so.1"),
        _ => IntPtr.Zero,
    };
}
