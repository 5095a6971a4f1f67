namespace PyRtAudioNet.Interop;

/// <summary>Presents the audio buffers to an <see cref="AudioCallback{T}"/> as spans valid for one call.</summary>
internal sealed unsafe class TypedCallbackTarget<T>(AudioCallback<T> callback, int outputSamplesPerFrame, int inputSamplesPerFrame)
    : StreamCallbackTarget
    where T : unmanaged
{
    protected override int Invoke(void* output, void* input, uint frames, double streamTime, StreamStatus status)
    {
        int frameCount = (int)frames;
        var outputSpan = output is null ? Span<T>.Empty : new Span<T>(output, frameCount * outputSamplesPerFrame);
        var inputSpan = input is null ? ReadOnlySpan<T>.Empty : new ReadOnlySpan<T>(input, frameCount * inputSamplesPerFrame);
        return (int)callback(outputSpan, inputSpan, frameCount, streamTime, status);
    }
}
