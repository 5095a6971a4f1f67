namespace PyRtAudioNet.Tests;

public sealed class DuplexLoopbackTests
{
    [Test]
    public void SelfConnectedDuplexStreamRecordsExactlyWhatItPlayed()
    {
        const int channels = 2;
        const int recordFrames = JackServerFixture.SampleRate; // 1 s
        var recorded = new float[recordFrames * channels];
        long played = 0;
        int recordedFrames = 0;
        int armed = 0; // JACK connects ports of active clients only: the test starts once connected

        using var audio = Streams.OpenJack();
        var options = Streams.Named("loop", StreamFlags.JackDontConnect);
        var system = audio.GetDefaultOutputDevice();
        uint period = audio.OpenStream<float>(new StreamParameters(system, channels), new StreamParameters(system, channels), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period,
            (output, input, frames, _, _) =>
            {
                if (Volatile.Read(ref armed) == 0)
                    return CallbackResult.Continue;
                for (int f = 0; f < frames; f++)
                {
                    for (int c = 0; c < channels; c++)
                        output[(f * channels) + c] = Streams.Ramp(played + f, c);
                }
                played += frames;
                int take = Math.Min(frames, recordFrames - recordedFrames);
                input[..(take * channels)].CopyTo(recorded.AsSpan(recordedFrames * channels));
                recordedFrames += take;
                return recordedFrames < recordFrames ? CallbackResult.Continue : CallbackResult.Stop;
            },
            options);

        audio.StartStream();
        var ports = JackServerFixture.Server.ListPorts().Where(p => p.StartsWith(options.StreamName + ":", StringComparison.Ordinal)).ToList();
        var outputs = ports.Where(p => p.Contains(":outport", StringComparison.Ordinal)).Order().ToList();
        var inputs = ports.Where(p => p.Contains(":inport", StringComparison.Ordinal)).Order().ToList();
        Assert.That((outputs.Count, inputs.Count), Is.EqualTo((channels, channels)), string.Join(", ", ports));
        for (int c = 0; c < channels; c++)
            JackServerFixture.Server.Connect(outputs[c], inputs[c]);
        Volatile.Write(ref armed, 1);
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(10)), Is.True, "the stream stopped itself after recording 1 s");

        int firstSignal = Array.FindIndex(recorded, s => s != 0) / channels;
        Assert.That(firstSignal, Is.EqualTo((int)period), "the loop delays by exactly one period");
        int mismatches = 0;
        for (int f = firstSignal; f < recordFrames; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                if (recorded[(f * channels) + c] != Streams.Ramp(f - firstSignal, c))
                    mismatches++;
            }
        }
        Assert.That(mismatches, Is.Zero, "samples that differ from what was played");
    }
}
