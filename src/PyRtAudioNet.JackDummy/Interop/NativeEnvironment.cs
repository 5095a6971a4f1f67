using System.Runtime.InteropServices;

namespace PyRtAudioNet.JackDummy.Interop;

/// <summary>
/// libc calls the JACK helpers need: .NET keeps its own copy of the environment on Unix, so
/// native libraries (libjack) only see variables set with <c>setenv</c>.
/// </summary>
internal static partial class NativeEnvironment
{
    private const int SigTerm = 15;

    internal static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value); // child processes
        if (SetEnv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    internal static void Terminate(int processId) => _ = Kill(processId, SigTerm);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int processId, int signal);
}
