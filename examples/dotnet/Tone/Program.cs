// A tone generator: plays a sine on the default JACK output from the audio callback.
// Usage: dotnet run --project examples/dotnet/Tone -- [frequency=440] [seconds=2]
using System.Globalization;
using PyRtAudioNet;

double frequency = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 440.0;
double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2.0;
const uint Channels = 2;

using var audio = new RtAudio(RtAudioApi.UnixJack);
var output = new StreamParameters(audio.GetDefaultOutputDevice(), Channels);
uint sampleRate = audio.GetDeviceInfo(output.DeviceId).PreferredSampleRate;
double phase = 0;
double step = 2 * Math.PI * frequency / sampleRate;
uint period = audio.OpenStream<float>(output, null, RtAudioFormat.Float32, sampleRate, 0, (outBuf, _, frames, _, _) =>
{
    for (int frame = 0; frame < frames; frame++)
    {
        float sample = (float)(0.2 * Math.Sin(phase));
        phase += step;
        for (int channel = 0; channel < Channels; channel++)
            outBuf[(frame * (int)Channels) + channel] = sample;
    }
    return CallbackResult.Continue;
});
audio.StartStream();
Console.WriteLine($"Playing {frequency} Hz for {seconds} s at {sampleRate} Hz, {period}-frame periods");
Thread.Sleep(TimeSpan.FromSeconds(seconds));
audio.StopStream();
var stats = audio.GetStreamStatistics();
Console.WriteLine($"{stats.Callbacks} callbacks, {stats.Frames} frames, {stats.OutputUnderflows} underflows");
