using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>What a device offers (<c>RtAudio::DeviceInfo</c>). Immutable snapshot; any thread.</summary>
public sealed record DeviceInfo
{
    /// <summary>The id to open the device with.</summary>
    public required uint Id { get; init; }

    /// <summary>The device name (for JACK: the client whose ports the device is).</summary>
    public required string Name { get; init; }

    /// <summary>Maximum output channels.</summary>
    public required uint OutputChannels { get; init; }

    /// <summary>Maximum input channels.</summary>
    public required uint InputChannels { get; init; }

    /// <summary>Maximum channels in each direction of a duplex stream.</summary>
    public required uint DuplexChannels { get; init; }

    /// <summary>Whether this is the default output device.</summary>
    public required bool IsDefaultOutput { get; init; }

    /// <summary>Whether this is the default input device.</summary>
    public required bool IsDefaultInput { get; init; }

    /// <summary>Supported sample rates.</summary>
    public required IReadOnlyList<uint> SampleRates { get; init; }

    /// <summary>The device's preferred sample rate.</summary>
    public required uint PreferredSampleRate { get; init; }

    /// <summary>Formats the device handles natively (others are converted by RtAudio).</summary>
    public required RtAudioFormat NativeFormats { get; init; }

    internal static DeviceInfo FromNative(in NativeDeviceInfo info)
    {
        ReadOnlySpan<byte> name = info.Name;
        int length = name.IndexOf((byte)0);
        ReadOnlySpan<uint> rates = info.SampleRates;
        return new DeviceInfo
        {
            Id = info.Id,
            Name = System.Text.Encoding.UTF8.GetString(length < 0 ? name : name[..length]),
            OutputChannels = info.OutputChannels,
            InputChannels = info.InputChannels,
            DuplexChannels = info.DuplexChannels,
            IsDefaultOutput = info.IsDefaultOutput != 0,
            IsDefaultInput = info.IsDefaultInput != 0,
            SampleRates = rates[..(int)Math.Min(info.SampleRateCount, (uint)rates.Length)].ToArray(),
            PreferredSampleRate = info.PreferredSampleRate,
            NativeFormats = (RtAudioFormat)info.NativeFormats,
        };
    }
}
