// The demo: list APIs and devices, then play 2 s of a 440 Hz tone on JACK's default output and
// report what the driver counted. Without a running JACK server it starts a private dummy one.
using PyRtAudioNet;
using PyRtAudioNet.JackDummy;

const uint SampleRate = 48_000;
const uint Channels = 2;
const double Frequency = 440.0;
const double Seconds = 2.0;

Console.WriteLine($"RtAudio {RtAudio.GetVersion()}; compiled APIs: {string.Join(", ", RtAudio.GetCompiledApi().Select(RtAudio.GetApiName))}");
foreach (var api in RtAudio.GetCompiledApi())
    ListDevices(api);

JackDummyServer? privateServer = null;
if (JackDeviceCount() == 0)
{
    privateServer = JackDummyServer.Start(sampleRate: (int)SampleRate, period: 64);
    privateServer.UseForThisProcess();
    Console.WriteLine($"No JACK server is running: started a private JACK dummy server '{privateServer.Name}' (48 kHz, 64-frame periods).");
    ListDevices(RtAudioApi.UnixJack);
}

try
{
    PlayTone();
}
finally
{
    privateServer?.Dispose();
}

static void ListDevices(RtAudioApi api)
{
    try
    {
        using var audio = new RtAudio(api);
        var devices = audio.GetDevices();
        Console.WriteLine($"{RtAudio.GetApiDisplayName(api)}: {devices.Count} device(s)");
        foreach (var device in devices)
        {
            string defaults = (device.IsDefaultOutput ? " [default output]" : string.Empty) + (device.IsDefaultInput ? " [default input]" : string.Empty);
            Console.WriteLine($"  {device.Id}: {device.Name} — {device.OutputChannels} out, {device.InputChannels} in, rates {string.Join('/', device.SampleRates)}{defaults}");
        }
    }
    catch (RtAudioException e)
    {
        Console.WriteLine($"{RtAudio.GetApiDisplayName(api)}: unavailable ({e.Message})");
    }
}

static uint JackDeviceCount()
{
    using var audio = new RtAudio(RtAudioApi.UnixJack);
    return audio.GetDeviceCount();
}

static void PlayTone()
{
    using var audio = new RtAudio(RtAudioApi.UnixJack);
    var device = audio.GetDefaultOutputDeviceInfo();
    double phase = 0;
    double step = 2 * Math.PI * Frequency / SampleRate;
    uint period = audio.OpenStream<float>(new StreamParameters(device.Id, Channels), null, RtAudioFormat.Float32, SampleRate, 64,
        (output, _, frames, _, _) =>
        {
            for (int f = 0; f < frames; f++)
            {
                float sample = (float)(0.2 * Math.Sin(phase));
                phase += step;
                for (int c = 0; c < Channels; c++)
                    output[(f * (int)Channels) + c] = sample;
            }
            phase %= 2 * Math.PI;
            return CallbackResult.Continue;
        },
        new StreamOptions { StreamName = "pyrtaudionet-demo" });
    Console.WriteLine($"Playing {Frequency} Hz for {Seconds} s on '{device.Name}' ({Channels} ch, {audio.GetStreamSampleRate()} Hz, {period}-frame periods)...");
    audio.StartStream();
    Thread.Sleep(TimeSpan.FromSeconds(Seconds));
    audio.StopStream();
    var statistics = audio.GetStreamStatistics();
    Console.WriteLine($"Delivered {statistics.Frames} frames in {statistics.Callbacks} callbacks ({statistics.Frames / (double)SampleRate:F2} s of audio); stream time {audio.GetStreamTime():F2} s; output underflows: {statistics.OutputUnderflows}; input overflows: {statistics.InputOverflows}.");
    audio.CloseStream();
}
