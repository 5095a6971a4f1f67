namespace PyRtAudioNet;

/// <summary>One direction of a stream (<c>RtAudio::StreamParameters</c>). Immutable; any thread.</summary>
/// <param name="DeviceId">A device id from <see cref="RtAudio.GetDeviceIds"/>.</param>
/// <param name="Channels">Channels to open, at least 1.</param>
/// <param name="FirstChannel">Offset of the first channel on the device.</param>
public sealed record StreamParameters(uint DeviceId, uint Channels, uint FirstChannel = 0);
