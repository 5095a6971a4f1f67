using System.Buffers.Binary;
using PyRtAudioNet.JackDummy;

namespace PyRtAudioNet.Tests;

public sealed class DuplexLoopbackTests
{
    /// <summary>
    /// With <see cref="StreamOptions.FixedBlockSize"/> every callback gets the asked block, whatever
    /// the server's period; the loop then delays by a block more (0: the server's period, no block).
    /// </summary>
    [Test]
    public void SelfConnectedDuplexStreamRecordsExactlyWhatItPlayed(
        [Values(0u, 100u, 256u, 1000u, 1024u, 2400u)] uint block,
        [Values(JackServerFixture.Period, JackServerFixture.OtherPeriod)] int period)
    {
        using var jack = JackServerFixture.UseServerOf(period);
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
        uint asked = block == 0 ? (uint)period : block;
        uint perCallback = audio.OpenStream<float>(new StreamParameters(system, channels), new StreamParameters(system, channels), RtAudioFormat.Float32,
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

        Assert.That(perCallback, Is.EqualTo(asked), "the frames each callback gets");
        Assert.That(audio.GetStreamPeriod(), Is.EqualTo(period), "the server's period");
        long added = block == 0 || block == period ? 0 : block;
        var server = ServerLatency();
        Assert.That(audio.GetStreamLatency(), Is.EqualTo(server.Output + server.Input + added), "the latency, a block's included");
        Assert.That(audio.GetStreamLatencies(), Is.EqualTo(server with { Output = server.Output + added }), "the block on the output side");
        audio.StartStream();
        ConnectToItself(jack.Server, options, channels);
        Volatile.Write(ref armed, 1);
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(10)), Is.True, "the stream stopped itself after recording 1 s");

        int firstSignal = Array.FindIndex(recorded, s => s != 0) / channels;
        Assert.That(Volatile.Read(ref otherSizes), Is.Zero, "callbacks given another number of frames");
        Assert.That(firstSignal, Is.EqualTo(period + added), "the loop delays by exactly one period, and a block");
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

    /// <summary>
    /// With <see cref="StreamOptions.PrimeOutputWithCallback"/> the first call is flagged priming, with
    /// silent input flagged as underflowed, and its output is what the device plays first: with
    /// half-second blocks, the stream's loop to itself (connected once it runs) hears the primed
    /// block's end, then the running blocks' output from exactly a block and a period on.
    /// </summary>
    [Test]
    public void PrimedStreamPlaysTheCallbacksFirstBlockFirst()
    {
        const uint block = JackServerFixture.SampleRate / 2;
        const float primed = 0.25f;
        var statuses = new List<StreamStatus>();
        var silentInputs = new List<bool>();
        var recorded = new List<float>();
        int blocks = 0;
        var server = ServerLatency();
        using var audio = Streams.OpenJack();
        var options = Streams.Named("prime", StreamFlags.JackDontConnect);
        options.FixedBlockSize = true;
        options.PrimeOutputWithCallback = true;
        var system = audio.GetDefaultOutputDevice();
        audio.OpenStream<float>(new StreamParameters(system, 1), new StreamParameters(system, 1), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, block,
            (output, input, frames, _, status) =>
            {
                statuses.Add(status);
                silentInputs.Add(!input.ContainsAnyExcept(0f));
                if ((status & StreamStatus.PrimingOutput) != 0)
                {
                    output.Fill(primed);
                    return CallbackResult.Continue;
                }
                for (int f = 0; f < frames; f++)
                    output[f] = Streams.Ramp(((long)blocks * frames) + f, 0);
                recorded.AddRange(input);
                return ++blocks < 3 ? CallbackResult.Continue : CallbackResult.Stop;
            },
            options);
        Assert.That(audio.GetStreamLatencies(), Is.EqualTo(server with { Output = server.Output + block }), "the primed block on the output side");
        audio.StartStream();
        ConnectToItself(JackServerFixture.Server, options, 1);
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(10)), Is.True, "the stream stopped itself after 3 blocks");

        Assert.That(statuses[0], Is.EqualTo(StreamStatus.PrimingOutput | StreamStatus.InputUnderflow), "the first call primes");
        Assert.That(silentInputs[0], Is.True, "the priming call's input is silence");
        Assert.That(statuses.Skip(1).Count(s => (s & (StreamStatus.PrimingOutput | StreamStatus.InputUnderflow)) != 0), Is.Zero, "only the first call primes");
        int primedEnd = (int)block + JackServerFixture.Period;
        int first = recorded.FindIndex(s => s != 0);
        Assert.That(first, Is.InRange(JackServerFixture.Period, primedEnd - 1), "the loop was connected while the primed block played");
        Assert.That(recorded.Skip(first).Take(primedEnd - first), Is.All.EqualTo(primed), "the primed block");
        int mismatches = 0;
        for (int f = primedEnd; f < recorded.Count; f++)
        {
            if (recorded[f] != Streams.Ramp(f - primedEnd, 0))
                mismatches++;
        }
        Assert.That(mismatches, Is.Zero, "samples of the running blocks that differ from what was played");
    }

    /// <summary>The latencies RtAudio reports for a duplex stream of the server's period.</summary>
    private static StreamLatency ServerLatency()
    {
        using var audio = Streams.OpenJack();
        var system = audio.GetDefaultOutputDevice();
        audio.OpenStream<float>(new StreamParameters(system, 2), new StreamParameters(system, 2), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue,
            Streams.Named("latency", StreamFlags.JackDontConnect));
        return audio.GetStreamLatencies();
    }

    /// <summary>
    /// Every sample format, interleaved and not, comes back exactly through the server's float32
    /// path, one period later (what RtAudio converts to and from float32 without loss: every
    /// 8-, 16- and 24-bit value, 32-bit values with 24 significant bits, 24-bit floats).
    /// </summary>
    [Test]
    public void EverySampleFormatRoundTripsExactly(
        [Values(RtAudioFormat.SInt8, RtAudioFormat.SInt16, RtAudioFormat.SInt24, RtAudioFormat.SInt32, RtAudioFormat.Float32, RtAudioFormat.Float64)] RtAudioFormat format,
        [Values] bool nonInterleaved)
    {
        const int channels = 2;
        const int recordFrames = JackServerFixture.SampleRate / 4;
        int width = FormatWidth(format);
        var recorded = new byte[recordFrames * channels * width];
        int played = 0;
        int recordedFrames = 0;
        int armed = 0;
        using var audio = Streams.OpenJack();
        var options = Streams.Named("fmt", StreamFlags.JackDontConnect | (nonInterleaved ? StreamFlags.NonInterleaved : StreamFlags.None));
        var system = audio.GetDefaultOutputDevice();
        audio.OpenStream<byte>(new StreamParameters(system, channels), new StreamParameters(system, channels), format,
            JackServerFixture.SampleRate, JackServerFixture.Period,
            (output, input, frames, _, _) =>
            {
                if (Volatile.Read(ref armed) == 0)
                    return CallbackResult.Continue;
                int at(int f, int c) => (nonInterleaved ? (c * frames) + f : (f * channels) + c) * width;
                int take = Math.Min(frames, recordFrames - recordedFrames);
                for (int f = 0; f < frames; f++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        WriteSample(format, ExactValue(played + f, c), output.Slice(at(f, c), width));
                        if (f < take)
                            input.Slice(at(f, c), width).CopyTo(recorded.AsSpan((((recordedFrames + f) * channels) + c) * width));
                    }
                }
                played += frames;
                recordedFrames += take;
                return recordedFrames < recordFrames ? CallbackResult.Continue : CallbackResult.Stop;
            },
            options);
        audio.StartStream();
        ConnectToItself(JackServerFixture.Server, options, channels);
        Volatile.Write(ref armed, 1);
        // The dummy server flags xruns now and then, but a client's own loop skips no period.
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(10)), Is.True, "the stream stopped itself");
        var expected = new byte[width];
        int mismatches = 0;
        for (int f = JackServerFixture.Period; f < recordFrames; f++) // the loop returns each period one period later
        {
            for (int c = 0; c < channels; c++)
            {
                WriteSample(format, ExactValue(f - JackServerFixture.Period, c), expected);
                if (!recorded.AsSpan((((f * channels) + c) * width), width).SequenceEqual(expected))
                    mismatches++;
            }
        }
        Assert.That(mismatches, Is.Zero, $"{format} samples that came back different");
    }

    /// <summary>Connects each output port of the stream named in <paramref name="options"/> to its own input port of the same number.</summary>
    internal static void ConnectToItself(JackDummyServer server, StreamOptions options, int channels)
    {
        var ports = server.ListPorts().Where(p => p.StartsWith(options.StreamName + ":", StringComparison.Ordinal)).ToList();
        var outputs = ports.Where(p => p.Contains(":outport", StringComparison.Ordinal)).Order().ToList();
        var inputs = ports.Where(p => p.Contains(":inport", StringComparison.Ordinal)).Order().ToList();
        Assert.That((outputs.Count, inputs.Count), Is.EqualTo((channels, channels)), string.Join(", ", ports));
        for (int c = 0; c < channels; c++)
            server.Connect(outputs[c], inputs[c]);
    }

    private static int FormatWidth(RtAudioFormat format) => format switch
    {
        RtAudioFormat.SInt8 => 1,
        RtAudioFormat.SInt16 => 2,
        RtAudioFormat.SInt24 => 3,
        RtAudioFormat.SInt32 or RtAudioFormat.Float32 => 4,
        _ => 8,
    };

    /// <summary>A non-zero 24-bit value per frame and channel, varied over the whole range.</summary>
    private static int ExactValue(int frame, int channel) => (int)((((frame * 7919L) + (channel * 104729L) + 1) % 16_777_213) - 8_388_606);

    /// <summary>
    /// <paramref name="value"/> (24 bits) as a sample of <paramref name="format"/> that survives
    /// float32: narrowed to the top bits of 8 and 16-bit formats, shifted into 32-bit ones' top 24.
    /// </summary>
    private static void WriteSample(RtAudioFormat format, int value, Span<byte> sample)
    {
        switch (format)
        {
            case RtAudioFormat.SInt8: sample[0] = (byte)(sbyte)(value >> 16); break;
            case RtAudioFormat.SInt16: BinaryPrimitives.WriteInt16LittleEndian(sample, (short)(value >> 8)); break;
            case RtAudioFormat.SInt24: sample[0] = (byte)value; sample[1] = (byte)(value >> 8); sample[2] = (byte)(value >> 16); break;
            case RtAudioFormat.SInt32: BinaryPrimitives.WriteInt32LittleEndian(sample, value << 8); break;
            case RtAudioFormat.Float32: BinaryPrimitives.WriteSingleLittleEndian(sample, value / 8_388_608f); break;
            default: BinaryPrimitives.WriteDoubleLittleEndian(sample, value / 8_388_608.0); break;
        }
    }
}
