using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PyRtAudioNet.Interop;

/// <summary>
/// The function pointer the native bridge calls, on a JACK thread or one of its own, when the open stream
/// ends without being asked to. Its user data is a weak GC handle (owned by
/// <see cref="RtAudioHandle"/>) to the <see cref="RtAudio"/>; the event is raised on the
/// thread pool so that the calling thread returns at once.
/// </summary>
internal static unsafe class StreamEventThunk
{
    internal static delegate* unmanaged[Cdecl]<int, byte*, void*, void> Pointer => &Invoke;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Invoke(int errorType, byte* message, void* userData)
    {
        if (GCHandle.FromIntPtr((nint)userData).Target is not RtAudio owner)
            return;
        var error = new RtAudioException((RtAudioErrorType)errorType, NativeMethods.ReadString(message));
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.owner.RaiseStreamFailed(state.error), (owner, error), preferLocal: false);
    }
}
