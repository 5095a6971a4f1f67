// A recorder: reads the default JACK input through a blocking stream and writes a 16-bit WAV.
// Usage: dotnet run --project examples/dotnet/Recorder -- out.wav [seconds=2]
using System.Globalization;
using System.Text;
using PyRtAudioNet;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Recorder OUT.wav [seconds]");
    return 2;
}
string path = args[0];
double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2.0;
const uint Channels = 2;

using var audio = new RtAudio(RtAudioApi.UnixJack);
var input = new StreamParameters(audio.GetDefaultInputDevice(), Channels);
uint sampleRate = audio.GetDeviceInfo(input.DeviceId).PreferredSampleRate;
audio.OpenBlockingStream(null, input, RtAudioFormat.SInt16, sampleRate, 0);
var samples = new short[(int)(seconds * sampleRate) * Channels];
audio.StartStream();
audio.Read<short>(samples, TimeSpan.FromSeconds(seconds + 5));
audio.StopStream();
var stats = audio.GetStreamStatistics();

using (var file = new BinaryWriter(File.Create(path), Encoding.ASCII))
{
    int dataBytes = samples.Length * sizeof(short);
    file.Write("RIFF"u8);
    file.Write(36 + dataBytes);
    file.Write("WAVEfmt "u8);
    file.Write(16);                                  // fmt chunk size
    file.Write((short)1);                            // PCM
    file.Write((short)Channels);
    file.Write((int)sampleRate);
    file.Write((int)(sampleRate * Channels * sizeof(short)));
    file.Write((short)(Channels * sizeof(short)));   // block align
    file.Write((short)16);                           // bits per sample
    file.Write("data"u8);
    file.Write(dataBytes);
    foreach (short sample in samples)
        file.Write(sample);
}
Console.WriteLine($"Recorded {samples.Length / Channels} frames to {path} ({stats.RingOverflows} ring overflows)");
return 0;
