namespace PyRtAudioNet.Tests;

/// <summary>Helpers shared by the stream tests.</summary>
internal static class Streams
{
    public static RtAudio OpenJack() => new(RtAudioApi.UnixJack);

    /// <summary>A unique JACK client name, so ports can be found and connected.</summary>
    public static StreamOptions Named(string prefix, StreamFlags flags = StreamFlags.None) =>
        new() { StreamName = $"{prefix}-{Guid.NewGuid():N}"[..20], Flags = flags };

    /// <summary>Waits until <paramref name="condition"/> holds; false after <paramref name="timeout"/>.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
                return true;
            Thread.Sleep(5);
        }
        return condition();
    }

    /// <summary>An exactly representable float for frame <paramref name="frame"/> of channel <paramref name="channel"/>; never 0, period 4096 frames.</summary>
    public static float Ramp(long frame, int channel) => ((frame % 4096) + 1) / 8192f * (channel == 0 ? 1 : -1);

    public static StreamParameters DefaultOutput(RtAudio audio, uint channels = 2) => new(audio.GetDefaultOutputDevice(), channels);

    public static StreamParameters DefaultInput(RtAudio audio, uint channels = 2) => new(audio.GetDefaultInputDevice(), channels);
}
