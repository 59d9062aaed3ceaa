using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Autopilot.KafkaMockCluster;

/// <summary>
/// Loads Debian's librdkafka1 for Confluent.Kafka 1.9.3, which looks for "librdkafka" and "libdl" by names
/// that Debian does not ship (only the versioned .so files exist without the -dev packages).
/// </summary>
internal static class KafkaNative
{
    public static void Load()
    {
        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
        Library.Load("librdkafka.so.1");
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        "libdl" => NativeLibrary.Load("libdl.so.2"),
        "librdkafka" => NativeLibrary.Load("librdkafka.so.1"),
        _ => IntPtr.Zero,
    };
}
