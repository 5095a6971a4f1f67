// The benchmark's .NET cases (make bench): PyRtAudioNet.Bench empty|sine|blocking|blocking-N SECONDS PERIOD
// (blocking: the default ring; blocking-N: a ring of N periods; the writer wakes once per half ring).
// on the JACK server named by JACK_DEFAULT_SERVER. After a warm-up (BENCH_WARMUP seconds, default 4: tiered compilation settles) it measures SECONDS and
// prints one JSON line: callbacks, process CPU seconds, xruns and the bridge's per-period time
// percentiles in the measured window.
using System.Diagnostics;
using System.Globalization;
using PyRtAudioNet;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: PyRtAudioNet.Bench empty|sine|blocking|blocking-N SECONDS PERIOD");
    return 2;
}
string mode = args[0];
double seconds = double.Parse(args[1], CultureInfo.InvariantCulture);
uint period = uint.Parse(args[2], CultureInfo.InvariantCulture);
const uint Rate = 48_000;
double phase = 0;
double step = 2 * Math.PI * 440 / Rate;

using var audio = new RtAudio(RtAudioApi.UnixJack);
var output = new StreamParameters(audio.GetDefaultOutputDevice(), 2);
using var stop = new CancellationTokenSource();
Thread? feeder = null;
if (mode.StartsWith("blocking", StringComparison.Ordinal))
{
    uint ringPeriods = mode == "blocking" ? 0 : uint.Parse(mode["blocking-".Length..], CultureInfo.InvariantCulture);
    audio.OpenBlockingStream(output, null, RtAudioFormat.Float32, Rate, period, new BlockingOptions { RingFrames = ringPeriods * period });
    var chunk = new float[period * 2];
    feeder = new Thread(() =>
    {
        try
        {
            while (true)
                audio.Write<float>(chunk, cancellationToken: stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (RtAudioException) when (stop.IsCancellationRequested)
        {
        }
    });
}
else
{
    bool sine = mode == "sine";
    audio.OpenStream<float>(output, null, RtAudioFormat.Float32, Rate, period, (outBuffer, _, frames, _, _) =>
    {
        if (sine)
        {
            for (int f = 0; f < frames; f++)
            {
                float sample = (float)(0.2 * Math.Sin(phase));
                phase += step;
                outBuffer[2 * f] = sample;
                outBuffer[(2 * f) + 1] = sample;
            }
            phase %= 2 * Math.PI;
        }
        return CallbackResult.Continue;
    });
}
audio.StartStream();
feeder?.Start();
var process = Process.GetCurrentProcess();
// Every measuring call runs once in the warm-up too: its one-off JIT stays out of the window.
(StreamStatistics Statistics, TimeSpan Cpu) Snapshot()
{
    audio.ResetCallbackDurations();
    process.Refresh();
    return (audio.GetStreamStatistics(), process.TotalProcessorTime);
}
Snapshot();
audio.GetCallbackDurations();
Thread.Sleep(TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP"), System.Globalization.CultureInfo.InvariantCulture, out double warmup) ? warmup : 4));
var (before, cpuBefore) = Snapshot();
Thread.Sleep(TimeSpan.FromSeconds(seconds));
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
var after = audio.GetStreamStatistics();
var durations = audio.GetCallbackDurations();
stop.Cancel();
audio.AbortStream();
feeder?.Join();
// Periods the server flagged, plus periods the ring could not fill (bench/run.py counts the same everywhere).
ulong xruns = after.OutputUnderflows - before.OutputUnderflows + after.RingUnderflows - before.RingUnderflows;
Console.WriteLine(FormattableString.Invariant($"{{\"callbacks\": {after.Callbacks - before.Callbacks}, \"cpu_seconds\": {cpu.TotalSeconds:F6}, \"xruns\": {xruns}, \"p50_us\": {durations.P50Microseconds:F1}, \"p99_us\": {durations.P99Microseconds:F1}, \"p999_us\": {durations.P999Microseconds:F1}, \"max_us\": {durations.MaxMicroseconds:F1}}}"));
return 0;
