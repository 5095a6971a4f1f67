using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PyRtAudioNet.Interop;

/// <summary>Blittable twin of <c>prtn_device_info</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeDeviceInfo
{
    internal const int MaxName = 512;
    internal const int MaxSampleRates = 64;

    public uint Id;
    public uint OutputChannels;
    public uint InputChannels;
    public uint DuplexChannels;
    public uint IsDefaultOutput;
    public uint IsDefaultInput;
    public uint NativeFormats;
    public uint PreferredSampleRate;
    public uint SampleRateCount;
    public SampleRateArray SampleRates;
    public NameArray Name;

    [InlineArray(MaxSampleRates)]
    internal struct SampleRateArray
    {
        private uint _element;
    }

    [InlineArray(MaxName)]
    internal struct NameArray
    {
        private byte _element;
    }
}

/// <summary>Blittable twin of <c>prtn_stream_parameters</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeStreamParameters
{
    public uint DeviceId;
    public uint Channels;
    public uint FirstChannel;
}

/// <summary>Blittable twin of <c>prtn_stream_options</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeStreamOptions
{
    public uint Flags;
    public uint NumberOfBuffers;
    public int Priority;
    public uint FixedBlock;
    public uint PrimeOutput;
}

/// <summary>Blittable twin of <c>prtn_stream_stats</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeStreamStats
{
    public ulong Callbacks;
    public ulong Frames;
    public ulong OutputUnderflows;
    public ulong InputOverflows;
    public ulong Silenced;
    public ulong RingUnderflows;
    public ulong RingOverflows;
    public ulong FramesWritten;
    public ulong FramesRead;
}

/// <summary>Blittable twin of <c>prtn_duration_summary</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeDurationSummary
{
    public ulong Count;
    public double P50;
    public double P99;
    public double P999;
    public double Max;
    public double Recent;
}

/// <summary>Blittable twin of <c>prtn_blocking_options</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeBlockingOptions
{
    public uint RingFrames;
    public uint UnderflowMode;
}

/// <summary>Blittable twin of <c>prtn_transfer</c> (pointers as addresses).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeTransfer
{
    public nint Output;
    public nint Input;
    public ulong Frames;
    public uint OutputColumns;
    public uint InputColumns;
    public nint OutputMap;
    public nint InputMap;
    public uint Loop;
    public uint Reserved;
}
