namespace PyRtAudioNet;

/// <summary>The audio APIs RtAudio can be built with (<c>RtAudio::Api</c>).</summary>
public enum RtAudioApi
{
    /// <summary>Let RtAudio pick the first compiled API that has devices.</summary>
    Unspecified = 0,
    /// <summary>The Advanced Linux Sound Architecture.</summary>
    LinuxAlsa = 1,
    /// <summary>PulseAudio.</summary>
    LinuxPulse = 2,
    /// <summary>The Open Sound System.</summary>
    LinuxOss = 3,
    /// <summary>The JACK low-latency audio server.</summary>
    UnixJack = 4,
    /// <summary>macOS Core Audio.</summary>
    MacOSXCore = 5,
    /// <summary>Windows WASAPI.</summary>
    WindowsWasapi = 6,
    /// <summary>Steinberg ASIO.</summary>
    WindowsAsio = 7,
    /// <summary>Windows DirectSound.</summary>
    WindowsDS = 8,
    /// <summary>RtAudio's non-functional dummy API.</summary>
    Dummy = 9,
}

/// <summary>Sample formats (<c>RtAudioFormat</c>); a stream uses exactly one.</summary>
[Flags]
#pragma warning disable CA1028 // The values are RtAudio's unsigned bit mask.
public enum RtAudioFormat : uint
#pragma warning restore CA1028
{
    /// <summary>No format.</summary>
    None = 0,
    /// <summary>8-bit signed integer (<see cref="sbyte"/>).</summary>
    SInt8 = 0x1,
    /// <summary>16-bit signed integer (<see cref="short"/>).</summary>
    SInt16 = 0x2,
    /// <summary>24-bit signed integer, 3 packed bytes (use <see cref="byte"/> buffers).</summary>
    SInt24 = 0x4,
    /// <summary>32-bit signed integer (<see cref="int"/>).</summary>
    SInt32 = 0x8,
    /// <summary>32-bit float in [-1, 1] (<see cref="float"/>).</summary>
    Float32 = 0x10,
    /// <summary>64-bit float in [-1, 1] (<see cref="double"/>).</summary>
    Float64 = 0x20,
}

/// <summary>Stream flags (<c>RtAudioStreamFlags</c>).</summary>
[Flags]
#pragma warning disable CA1028 // The values are RtAudio's unsigned bit mask.
public enum StreamFlags : uint
#pragma warning restore CA1028
{
    /// <summary>Defaults: interleaved buffers.</summary>
    None = 0,
    /// <summary>One block per channel instead of interleaved frames.</summary>
    NonInterleaved = 0x1,
    /// <summary>
    /// Ask for the lowest possible latency. Of the APIs here only ALSA reads it: 2 periods in place
    /// of 4 (what the device grants is reported in <see cref="StreamOptions.NumberOfBuffers"/>),
    /// unless <see cref="StreamOptions.NumberOfBuffers"/> asks for a number. JACK and PulseAudio ignore it.
    /// </summary>
    MinimizeLatency = 0x2,
    /// <summary>
    /// Use the device exclusively. RtAudio reads it on CoreAudio and OSS only; JACK, PulseAudio and
    /// ALSA ignore it.
    /// </summary>
    HogDevice = 0x4,
    /// <summary>Run the callback thread with real-time scheduling (see <see cref="StreamOptions.Priority"/>).</summary>
    ScheduleRealtime = 0x8,
    /// <summary>
    /// ALSA only, RtAudio 5: open the "default" PCM whatever device was asked for. RtAudio 6 ignores
    /// it (it lists "default" as a device of its own: ask for that one).
    /// </summary>
    AlsaUseDefault = 0x10,
    /// <summary>JACK only: do not connect the stream's ports to the device's.</summary>
    JackDontConnect = 0x20,
}

/// <summary>Per-callback status bits: RtAudio's two (<c>RtAudioStreamStatus</c>), and the bridge's two of a priming call.</summary>
[Flags]
public enum StreamStatus
{
    /// <summary>No over- or underflow.</summary>
    None = 0,
    /// <summary>Input was discarded because of an overflow at the driver.</summary>
    InputOverflow = 0x1,
    /// <summary>The output ran dry: a gap was heard.</summary>
    OutputUnderflow = 0x2,
    /// <summary>The input is silence the bridge made, not recorded: the priming call's (<see cref="StreamOptions.PrimeOutputWithCallback"/>).</summary>
    InputUnderflow = 0x4,
    /// <summary>The call makes the output that plays first (<see cref="StreamOptions.PrimeOutputWithCallback"/>).</summary>
    PrimingOutput = 0x8,
}

/// <summary>What an audio callback asks for next, as RtAudio documents: 0, 1 or 2.</summary>
public enum CallbackResult
{
    /// <summary>Keep running.</summary>
    Continue = 0,
    /// <summary>Stop after the output already produced has been played.</summary>
    Stop = 1,
    /// <summary>Stop at once, dropping pending output.</summary>
    Abort = 2,
}

/// <summary>RtAudio's error types (<c>RtAudioError::Type</c>), numbered independently of the RtAudio version.</summary>
public enum RtAudioErrorType
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>A non-critical problem.</summary>
    Warning = 1,
    /// <summary>A non-critical problem useful for debugging.</summary>
    DebugWarning = 2,
    /// <summary>An unspecified error.</summary>
    Unspecified = 3,
    /// <summary>No devices were found.</summary>
    NoDevicesFound = 4,
    /// <summary>An invalid device id was given.</summary>
    InvalidDevice = 5,
    /// <summary>Memory could not be allocated.</summary>
    MemoryError = 6,
    /// <summary>An invalid parameter was given.</summary>
    InvalidParameter = 7,
    /// <summary>A function was called in the wrong state.</summary>
    InvalidUse = 8,
    /// <summary>The audio driver or server failed.</summary>
    DriverError = 9,
    /// <summary>A system call failed.</summary>
    SystemError = 10,
    /// <summary>A thread could not be created or controlled.</summary>
    ThreadError = 11,
    /// <summary>The device or the audio server went away (RtAudio 6; the bridge reports a JACK server shutdown and a PulseAudio or ALSA stream's lasting I/O failure so with 5.x too).</summary>
    DeviceDisconnect = 12,
}
