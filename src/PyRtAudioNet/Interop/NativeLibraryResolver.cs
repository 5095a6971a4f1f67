using System.Reflection;
using System.Runtime.InteropServices;

namespace PyRtAudioNet.Interop;

/// <summary>
/// Finds the native bridge: the file named by <c>PYRTAUDIONET_NATIVE_LIBRARY</c> if set (a
/// sanitizer build, say), else next to the managed assembly (or in its NuGet
/// <c>runtimes/&lt;rid&gt;/native</c> folder). Needed because hosts such as pythonnet do not
/// read <c>.deps.json</c>. Runs once, from the module initializer.
/// </summary>
internal static class NativeLibraryResolver
{
    private const string ChoiceVariable = "PYRTAUDIONET_NATIVE_LIBRARY";

    internal static void Register(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.Library)
            return nint.Zero;
        // Chosen explicitly: that file or an error naming what is missing, never another build.
        if (Environment.GetEnvironmentVariable(ChoiceVariable) is { Length: > 0 } chosen)
            return NativeLibrary.Load(chosen);
        foreach (var candidate in Candidates(assembly))
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                return handle;
        }
        return nint.Zero; // fall back to the default probing (LD_LIBRARY_PATH, system paths)
    }

    private static IEnumerable<string> Candidates(Assembly assembly)
    {
        var fileName = $"lib{NativeMethods.Library}.so";
#pragma warning disable IL3000 // Empty in a single-file app; AppContext.BaseDirectory covers that case.
        var directories = new[] { Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory };
#pragma warning restore IL3000
        foreach (var directory in directories.Where(d => !string.IsNullOrEmpty(d)).Distinct())
        {
            yield return Path.Combine(directory!, fileName);
            yield return Path.Combine(directory!, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", fileName);
        }
    }
}
