// A duplex pass-through: copies the default JACK input to the default output, period by period.
// Usage: dotnet run --project examples/dotnet/PassThrough -- [seconds=5]
using System.Globalization;
using PyRtAudioNet;

double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5.0;
const uint Channels = 2;

using var audio = new RtAudio(RtAudioApi.UnixJack);
var output = new StreamParameters(audio.GetDefaultOutputDevice(), Channels);
var input = new StreamParameters(audio.GetDefaultInputDevice(), Channels);
uint sampleRate = audio.GetDeviceInfo(output.DeviceId).PreferredSampleRate;
uint period = audio.OpenStream<float>(output, input, RtAudioFormat.Float32, sampleRate, 0, (outBuf, inBuf, _, _, _) =>
{
    inBuf.CopyTo(outBuf);
    return CallbackResult.Continue;
});
audio.StartStream();
Console.WriteLine($"Passing input to output for {seconds} s ({period}-frame periods, {audio.GetStreamLatency()} frames of latency)");
Thread.Sleep(TimeSpan.FromSeconds(seconds));
audio.StopStream();
var stats = audio.GetStreamStatistics();
Console.WriteLine($"{stats.Callbacks} callbacks, {stats.InputOverflows} input overflows, {stats.OutputUnderflows} output underflows");
