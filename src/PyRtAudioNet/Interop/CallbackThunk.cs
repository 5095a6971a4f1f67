using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PyRtAudioNet.Interop;

/// <summary>
/// The one function pointer the native bridge calls on the audio thread. Its user data is
/// a weak GC handle (owned by <see cref="RtAudioHandle"/>) to a <see cref="StreamCallbackTarget"/>.
/// A collected target leaves the (pre-zeroed) output silent.
/// </summary>
internal static unsafe class CallbackThunk
{
    internal static delegate* unmanaged[Cdecl]<void*, void*, uint, double, uint, void*, int> Pointer => &Invoke;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Invoke(void* output, void* input, uint frames, double streamTime, uint status, void* userData)
    {
        var target = GCHandle.FromIntPtr((nint)userData).Target as StreamCallbackTarget;
        return target is null
            ? (int)CallbackResult.Continue
            : target.InvokeGuarded(output, input, frames, streamTime, (StreamStatus)status);
    }
}
