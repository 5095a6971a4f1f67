namespace PyRtAudioNet.Tests;

public sealed class DuplexLoopbackTests
{
    /// <summary>
    /// With <see cref="StreamOptions.FixedBlockSize"/> every callback gets the asked block, whatever
    /// the server's period; the loop then delays by a block more (0: the server's period, no block).
    /// </summary>
    [TestCase(0u)]
    [TestCase(100u)]
    [TestCase(256u)]
    [TestCase(1000u)]
    [TestCase(1024u)]
    [TestCase(2400u)]
    public void SelfConnectedDuplexStreamRecordsExactlyWhatItPlayed(uint block)
    {
        const int channels = 2;
        const int recordFrames = JackServerFixture.SampleRate; // 1 s
        var recorded = new float[recordFrames * channels];
        long played = 0;
        int recordedFrames = 0;
        int armed = 0; // JACK connects ports of active clients only: the test starts once connected

        int otherSizes = 0;

        using var audio = Streams.OpenJack();
        var options = Streams.Named("loop", StreamFlags.JackDontConnect);
        options.FixedBlockSize = true;
        var system = audio.GetDefaultOutputDevice();
        uint asked = block == 0 ? JackServerFixture.Period : block;
        uint period = audio.OpenStream<float>(new StreamParameters(system, channels), new StreamParameters(system, channels), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, asked,
            (output, input, frames, _, _) =>
            {
                if (frames != asked)
                    otherSizes++;
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

        Assert.That(period, Is.EqualTo(asked), "the frames each callback gets");
        Assert.That(audio.GetStreamPeriod(), Is.EqualTo(JackServerFixture.Period), "the server's period");
        long added = block is 0 or JackServerFixture.Period ? 0 : block;
        Assert.That(audio.GetStreamLatency(), Is.EqualTo(ServerLatency() + added), "the latency, a block's included");
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
        Assert.That(Volatile.Read(ref otherSizes), Is.Zero, "callbacks given another number of frames");
        Assert.That(firstSignal, Is.EqualTo(JackServerFixture.Period + added), "the loop delays by exactly one period, and a block");
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

    /// <summary>The latency RtAudio reports for a duplex stream of the server's period.</summary>
    private static long ServerLatency()
    {
        using var audio = Streams.OpenJack();
        var system = audio.GetDefaultOutputDevice();
        audio.OpenStream<float>(new StreamParameters(system, 2), new StreamParameters(system, 2), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue,
            Streams.Named("latency", StreamFlags.JackDontConnect));
        return audio.GetStreamLatency();
    }
}
