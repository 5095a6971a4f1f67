using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PyRtAudioNet.Tests;

/// <summary>
/// RtAudio 5.2's own test programs (the tests/ folder of its source: apinames, audioprobe,
/// playsaw, playraw, record, duplex, testall, teststops), in this project's words: what each
/// exercises, asserted against this API on the JACK dummy server. Where a program prints and
/// waits for a key, these check what reached the server: other JACK clients of the test
/// (<see cref="Client"/>) play into, or record from, the stream under test.
/// </summary>
public sealed class RtAudioTestProgramTests
{
    private const int Rate = JackServerFixture.SampleRate;
    private const int Period = JackServerFixture.Period;
    private const int Channels = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public void ApinamesEveryCompiledApiIsFoundByItsNameAndUnknownOnesAreUnknown()
    {
        var compiled = RtAudio.GetCompiledApi();
        Assert.That(compiled, Is.Not.Empty.And.Unique);
        var names = compiled.Select(RtAudio.GetApiName).ToList();
        Assert.That(names, Is.Unique.And.All.Not.Empty);
        foreach (var api in compiled)
        {
            Assert.That(RtAudio.GetCompiledApiByName(RtAudio.GetApiName(api)), Is.EqualTo(api));
            Assert.That(RtAudio.GetApiDisplayName(api), Is.Not.Empty.And.Not.EqualTo("Unknown"));
            Assert.That(RtAudio.GetCompiledApiByName(RtAudio.GetApiName(api).ToUpperInvariant()), Is.EqualTo(RtAudioApi.Unspecified), "names match exactly");
        }
        foreach (var unknown in new[] { (RtAudioApi)(-1), (RtAudioApi)10, (RtAudioApi)99 })
        {
            Assert.That(RtAudio.GetApiName(unknown), Is.Empty);
            Assert.That(RtAudio.GetApiDisplayName(unknown), Is.EqualTo("Unknown"));
        }
        Assert.That(RtAudio.GetCompiledApiByName(""), Is.EqualTo(RtAudioApi.Unspecified));
    }

    [Test]
    public void AudioprobeListsEveryDeviceWithConsistentCapabilitiesAndOneDefaultEachWay()
    {
        Assert.That(RtAudio.GetVersion(), Is.Not.Empty);
        using var audio = Streams.OpenJack();
        var devices = audio.GetDevices();
        Assert.That(devices, Has.Count.EqualTo((int)audio.GetDeviceCount()).And.Not.Empty);
        foreach (var device in devices)
        {
            Assert.Multiple(() =>
            {
                Assert.That(device.Name, Is.Not.Empty);
                Assert.That(device.SampleRates, Is.Not.Empty.And.Contains(device.PreferredSampleRate));
                Assert.That(device.NativeFormats, Is.Not.EqualTo(RtAudioFormat.None));
                uint duplex = device.InputChannels > 0 && device.OutputChannels > 0 ? Math.Min(device.InputChannels, device.OutputChannels) : 0;
                Assert.That(device.DuplexChannels, Is.EqualTo(duplex), device.Name);
            });
        }
        Assert.That(devices.Where(d => d.IsDefaultOutput).Select(d => d.Id), Is.EqualTo(new[] { audio.GetDefaultOutputDevice() }));
        Assert.That(devices.Where(d => d.IsDefaultInput).Select(d => d.Id), Is.EqualTo(new[] { audio.GetDefaultInputDevice() }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void PlaysawPlaysItsSawUnchangedAndStopsItselfAfterTheAskedTime(bool nonInterleaved)
    {
        const int sawFrames = Rate / 4; // not a whole number of periods: the last period ends past it
        int periods = (sawFrames + Period - 1) / Period;
        var heard = new double[periods * Period * Channels];
        using var saw = new Client("saw", nonInterleaved ? StreamFlags.NonInterleaved : StreamFlags.None);
        var generator = new Saw();
        int done = 0;
        int armed = 0;
        int index(int frame, int channel, int frames) => nonInterleaved ? (channel * frames) + frame : (frame * Channels) + channel;
        saw.Audio.OpenStream<double>(saw.Output(), saw.Input(), RtAudioFormat.Float64, Rate, Period, (output, input, frames, _, _) =>
        {
            if (Volatile.Read(ref armed) == 0)
                return CallbackResult.Continue;
            for (int f = 0; f < frames; f++)
            {
                for (int c = 0; c < Channels; c++)
                {
                    heard[((done + f) * Channels) + c] = input[index(f, c, frames)];
                    output[index(f, c, frames)] = generator.Next(c);
                }
            }
            Volatile.Write(ref done, done + frames);
            return done >= sawFrames ? CallbackResult.Stop : CallbackResult.Continue;
        }, saw.Options);
        saw.Audio.StartStream();
        saw.PlayInto(saw);
        Volatile.Write(ref armed, 1);

        Assert.That(Streams.WaitUntil(() => !saw.Audio.IsStreamRunning(), Patience), Is.True, "the saw stopped itself");
        Assert.That(Volatile.Read(ref done), Is.EqualTo(periods * Period), "no callback after the one that returned Stop");
        var expected = new Saw();
        int mismatches = 0;
        for (int f = Period; f < periods * Period; f++) // the loop returns each period one period later
        {
            for (int c = 0; c < Channels; c++)
            {
                if (heard[(f * Channels) + c] != (float)expected.Next(c))
                    mismatches++;
            }
        }
        Assert.That(heard.AsSpan(0, Period * Channels).IndexOfAnyExcept(0.0), Is.EqualTo(-1), "silence before the saw");
        Assert.That(mismatches, Is.Zero, "samples of the saw (as float32 on JACK) that came back different");
    }

    [Test]
    public void PlayrawPlaysAFileToItsLastFrameThenStopsItself()
    {
        const int fileFrames = 10_000; // the last period is partly file, partly silence
        static float Value(int frame, int channel) => (frame + 1) / 16384f * (channel == 0 ? 1 : -1); // unique per frame
        string path = Path.GetTempFileName();
        try
        {
            using (var writer = new BinaryWriter(File.Create(path)))
            {
                for (int f = 0; f < fileFrames; f++)
                {
                    for (int c = 0; c < Channels; c++)
                        writer.Write(Value(f, c));
                }
            }
            using var recorder = new Recorder(Rate / 2);
            using var file = File.OpenRead(path);
            using var player = new Client("raw");
            int armed = 0;
            player.Audio.OpenStream<float>(player.Output(), null, RtAudioFormat.Float32, Rate, Period, (output, _, _, _, _) =>
            {
                if (Volatile.Read(ref armed) == 0)
                    return CallbackResult.Continue;
                var bytes = MemoryMarshal.AsBytes(output);
                return file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length ? CallbackResult.Stop : CallbackResult.Continue;
            }, player.Options);
            player.Audio.StartStream();
            player.PlayInto(recorder.Client);
            recorder.Arm();
            Volatile.Write(ref armed, 1);

            Assert.That(Streams.WaitUntil(() => !player.Audio.IsStreamRunning(), Patience), Is.True, "the player stopped itself at the end of the file");
            Assert.That(recorder.WaitFull(Patience), Is.True);
            var heard = Enumerable.Range(0, recorder.Frames).Where(f => recorder.Sample(f, 0) != 0).ToList();
            Assert.That(heard.Select(f => recorder.Sample(f, 1)), Is.EqualTo(heard.Select(f => -recorder.Sample(f, 0))), "both channels, frame by frame");
            var fileFramesHeard = heard.Select(f => (int)(recorder.Sample(f, 0) * 16384f) - 1).ToList();
            Assert.That(fileFramesHeard, Is.All.InRange(0, fileFrames - 1), "file frames");
            // Where a client ran late, a period may be lost or heard twice: either only near a period
            // the driver flagged as an xrun.
            var heardAgain = fileFramesHeard.Zip(fileFramesHeard.Skip(1), heard.Skip(1)).Where(t => t.Second <= t.First).Select(t => t.Third);
            Assert.That(heardAgain.Where(f => !recorder.FlaggedNear(f)), Is.Empty, "recorder frames where the file went back, with no xrun reported near them");
            int lost = fileFrames - fileFramesHeard.Distinct().Count();
            Assert.That(lost, Is.LessThanOrEqualTo(recorder.FlaggedPeriods * Period), $"file frames never heard ({lost}) were lost in xruns the driver reported");
            int lastHeard = heard.Count == 0 ? 0 : heard[^1];
            if (fileFramesHeard.LastOrDefault() != fileFrames - 1)
                Assert.That(recorder.FlaggedNear(lastHeard), Is.True, "the last buffer, returned with Stop, was not heard, and no xrun was reported there");
            Assert.That(recorder.SilentFrom(lastHeard + 1), Is.True, "nothing after the file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void RecordKeepsEveryFrameItHearsUntilItsCallbackAborts()
    {
        const int recordFrames = Rate / 2;
        var recorded = new float[recordFrames * Channels];
        using var client = new Client("rec");
        long played = 0;
        int done = 0;
        int calls = 0;
        int armed = 0;
        client.Audio.OpenStream<float>(client.Output(), client.Input(), RtAudioFormat.Float32, Rate, Period, (output, input, frames, _, _) =>
        {
            Interlocked.Increment(ref calls);
            if (Volatile.Read(ref armed) == 0)
                return CallbackResult.Continue;
            for (int f = 0; f < frames; f++)
            {
                for (int c = 0; c < Channels; c++)
                    output[(f * Channels) + c] = Streams.Ramp(played + f, c);
            }
            played += frames;
            int take = Math.Min(frames, recordFrames - done);
            input[..(take * Channels)].CopyTo(recorded.AsSpan(done * Channels));
            Volatile.Write(ref done, done + take);
            return done == recordFrames ? CallbackResult.Abort : CallbackResult.Continue;
        }, client.Options);
        client.Audio.StartStream();
        client.PlayInto(client); // what it records is what it played a period before
        Volatile.Write(ref armed, 1);

        Assert.That(Streams.WaitUntil(() => !client.Audio.IsStreamRunning(), Patience), Is.True, "Abort stopped the recording");
        int after = Volatile.Read(ref calls);
        Thread.Sleep(50);
        Assert.That(Volatile.Read(ref calls), Is.EqualTo(after), "no callback after the one that aborted");
        Assert.That(recorded.AsSpan(0, Period * Channels).IndexOfAnyExcept(0f), Is.EqualTo(-1), "one period of silence first");
        int mismatches = 0;
        for (int f = Period; f < recordFrames; f++)
        {
            for (int c = 0; c < Channels; c++)
            {
                if (recorded[(f * Channels) + c] != Streams.Ramp(f - Period, c))
                    mismatches++;
            }
        }
        Assert.That(mismatches, Is.Zero, "frames recorded out of order, lost or repeated");
    }

    [Test]
    public void DuplexPassesItsInputToItsOutputUnchanged()
    {
        const int roundTrips = Rate / 2 / Period;
        using var duplex = new Client("dup");
        var block = new float[Period * Channels];
        for (int f = 0; f < Period; f++)
        {
            for (int c = 0; c < Channels; c++)
                block[(f * Channels) + c] = Streams.Ramp(f, c);
        }
        int state = 0; // 0 waiting, 1 inject the block once, 2 pass input through
        int passed = 0;
        int unchanged = 0;
        duplex.Audio.OpenStream<float>(duplex.Output(), duplex.Input(), RtAudioFormat.Float32, Rate, Period, (output, input, _, _, _) =>
        {
            switch (Volatile.Read(ref state))
            {
                case 1:
                    block.CopyTo(output);
                    Volatile.Write(ref state, 2);
                    return CallbackResult.Continue;
                case 2:
                    if (input.SequenceEqual(block))
                        unchanged++;
                    input.CopyTo(output);
                    return Interlocked.Increment(ref passed) == roundTrips ? CallbackResult.Stop : CallbackResult.Continue;
                default:
                    return CallbackResult.Continue;
            }
        }, duplex.Options);
        duplex.Audio.StartStream();
        duplex.PlayInto(duplex); // the output comes back as the next period's input
        Volatile.Write(ref state, 1);

        Assert.That(Streams.WaitUntil(() => !duplex.Audio.IsStreamRunning(), Patience), Is.True);
        Assert.That(unchanged, Is.EqualTo(roundTrips), "periods whose input was the injected block, copied through the stream every period since");
    }

    [Test]
    public void TestallRunsStopsRestartsAndAbortsEachKindOfStream()
    {
        using var audio = Streams.OpenJack();
        var output = Streams.DefaultOutput(audio);
        int calls = 0;
        var saw = new Saw();

        audio.OpenStream<double>(output, null, RtAudioFormat.Float64, Rate, 512, (buffer, _, frames, _, _) =>
        {
            for (int f = 0; f < frames; f++)
            {
                for (int c = 0; c < Channels; c++)
                    buffer[(f * Channels) + c] = saw.Next(c);
            }
            Interlocked.Increment(ref calls);
            return CallbackResult.Continue;
        }, new StreamOptions { Flags = StreamFlags.HogDevice });
        Assert.That(audio.GetStreamLatency(), Is.GreaterThanOrEqualTo(0));
        audio.StartStream();
        AssertRuns(audio, () => calls);
        HaltsAndRestarts(audio, () => calls, audio.StopStream);
        HaltsAndRestarts(audio, () => calls, audio.AbortStream);
        audio.CloseStream();
        Assert.That(audio.IsStreamOpen(), Is.False, "closed while running");

        audio.OpenStream<double>(output, null, RtAudioFormat.Float64, Rate, 512, (buffer, _, frames, _, _) =>
        {
            for (int c = 0; c < Channels; c++)
            {
                for (int f = 0; f < frames; f++)
                    buffer[(c * frames) + f] = saw.Next(c);
            }
            Interlocked.Increment(ref calls);
            return CallbackResult.Continue;
        }, new StreamOptions { Flags = StreamFlags.NonInterleaved });
        audio.StartStream();
        AssertRuns(audio, () => calls);
        audio.CloseStream();

        audio.OpenStream<int>(output, Streams.DefaultInput(audio), RtAudioFormat.SInt32, Rate, 512, (outBuffer, inBuffer, _, _, _) =>
        {
            inBuffer.CopyTo(outBuffer);
            Interlocked.Increment(ref calls);
            return CallbackResult.Continue;
        }, new StreamOptions { Flags = StreamFlags.NonInterleaved });
        audio.StartStream();
        AssertRuns(audio, () => calls);
        HaltsAndRestarts(audio, () => calls, audio.StopStream);
        audio.CloseStream();
        AssertHalted(audio, () => calls);
    }

    private const int Repetitions = 3;
    private static readonly TimeSpan RunTime = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PauseTime = TimeSpan.FromMilliseconds(50);

    [Test]
    public void TeststopsStopsFromOutsideAndRestartsRepeatedly()
    {
        using var audio = Streams.OpenJack();
        var pulse = new Pulse(int.MaxValue, CallbackResult.Continue);
        pulse.Open(audio);
        for (int i = 0; i < Repetitions; i++)
        {
            pulse.Rewind();
            audio.StartStream();
            Thread.Sleep(RunTime);
            audio.StopStream();
            AssertHalted(audio, () => pulse.Calls);
            Assert.That(pulse.Frames, Is.GreaterThan(0), $"repetition {i} ran");
            Thread.Sleep(PauseTime);
        }
    }

    [TestCase(CallbackResult.Stop)]
    [TestCase(CallbackResult.Abort)]
    public void TeststopsStopsFromTheCallbackAfterItsFramesAndTheClockStopsThere(CallbackResult result)
    {
        int frames = (int)(RunTime.TotalSeconds * Rate); // whole periods: the callback ends on the last
        using var audio = Streams.OpenJack();
        var pulse = new Pulse(frames, result);
        pulse.Open(audio);
        double stoppedAt = audio.GetStreamTime();
        for (int i = 0; i < Repetitions; i++)
        {
            pulse.Rewind();
            var clock = Stopwatch.StartNew();
            audio.StartStream();
            Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), Patience), Is.True, $"repetition {i} stopped itself");
            Assert.That(clock.Elapsed.TotalSeconds, Is.GreaterThanOrEqualTo((frames - Period) / (double)Rate), "not before its frames were produced");
            Assert.That(pulse.Frames, Is.EqualTo(frames), "no callback after the one that stopped the stream");
            double time = audio.GetStreamTime();
            Assert.That(time - stoppedAt, Is.EqualTo(frames / (double)Rate).Within(1e-9), "the stream time ends with the last period and resumes from there");
            Thread.Sleep(PauseTime);
            Assert.That(audio.GetStreamTime(), Is.EqualTo(time), "the clock stands while the stream is stopped");
            stoppedAt = time;
        }
    }

    [Test]
    public void TeststopsOpensStartsStopsAndClosesRepeatedly()
    {
        using var audio = Streams.OpenJack();
        var pulse = new Pulse(int.MaxValue, CallbackResult.Continue);
        for (int i = 0; i < Repetitions; i++)
            RunOnce(audio, pulse);
    }

    [Test]
    public void TeststopsCreatesAndDisposesAnInstanceForEachStream()
    {
        var pulse = new Pulse(int.MaxValue, CallbackResult.Continue);
        for (int i = 0; i < Repetitions; i++)
        {
            using var audio = Streams.OpenJack();
            RunOnce(audio, pulse);
        }
    }

    /// <summary>teststops' pattern on a fresh stream: open, start, run, stop, close.</summary>
    private static void RunOnce(RtAudio audio, Pulse pulse)
    {
        pulse.Open(audio);
        pulse.Rewind();
        audio.StartStream();
        Thread.Sleep(RunTime);
        audio.StopStream();
        audio.CloseStream();
        Assert.That(pulse.Frames, Is.GreaterThan(0));
        Thread.Sleep(PauseTime);
    }

    private static void AssertRuns(RtAudio audio, Func<int> calls)
    {
        int before = calls();
        Assert.That(Streams.WaitUntil(() => calls() > before + 3, Patience), Is.True, "the callback is called");
        Assert.That(audio.IsStreamRunning(), Is.True);
    }

    private static void HaltsAndRestarts(RtAudio audio, Func<int> calls, Action halt)
    {
        halt();
        AssertHalted(audio, calls);
        audio.StartStream();
        AssertRuns(audio, calls);
    }

    private static void AssertHalted(RtAudio audio, Func<int> calls)
    {
        Assert.That(audio.IsStreamRunning(), Is.False);
        int after = calls();
        Thread.Sleep(50);
        Assert.That(calls(), Is.EqualTo(after), "no callback after the stream stopped");
    }

    /// <summary>
    /// testall's and playsaw's saw, one per channel, from a non-zero start so that no frame of it
    /// can pass for silence. Audio thread (or the test thread, to compute what was heard).
    /// </summary>
    private sealed class Saw
    {
        private readonly double[] _last = [0.125, 0.25];

        public double Next(int channel)
        {
            double value = _last[channel];
            _last[channel] += 0.005 * (channel + 1 + (channel * 0.1));
            if (_last[channel] >= 1.0)
                _last[channel] -= 2.0;
            return value;
        }
    }

    /// <summary>teststops' duplex SInt32 stream writing a pulse every 10 ms, ending with <c>result</c> after <c>frames</c> frames.</summary>
    private sealed class Pulse(int frames, CallbackResult result)
    {
        private const int Every = Rate / 100;
        private int _frames;
        private int _calls;

        public int Frames => Volatile.Read(ref _frames);

        public int Calls => Volatile.Read(ref _calls);

        public void Rewind() => Volatile.Write(ref _frames, 0);

        public void Open(RtAudio audio) =>
            audio.OpenStream<int>(Streams.DefaultOutput(audio), Streams.DefaultInput(audio), RtAudioFormat.SInt32, Rate, 512, Callback);

        private CallbackResult Callback(Span<int> output, ReadOnlySpan<int> input, int count, double time, StreamStatus status)
        {
            int done = _frames;
            for (int f = 0; f < count; f++)
                output.Slice(f * Channels, Channels).Fill((done + f) % Every == 0 ? (int)(0.9 * int.MaxValue) : 0);
            Volatile.Write(ref _frames, done + count);
            Interlocked.Increment(ref _calls);
            return done + count >= frames ? result : CallbackResult.Continue;
        }
    }

    /// <summary>
    /// A stream of a JACK client of its own whose ports stay unconnected, for the test to wire.
    /// Test thread; Dispose closes it.
    /// </summary>
    private sealed class Client(string prefix, StreamFlags flags = StreamFlags.None) : IDisposable
    {
        public RtAudio Audio { get; } = Streams.OpenJack();

        public StreamOptions Options { get; } = Streams.Named(prefix, flags | StreamFlags.JackDontConnect);

        public StreamParameters Output() => Streams.DefaultOutput(Audio, Channels);

        public StreamParameters Input() => Streams.DefaultInput(Audio, Channels);

        /// <summary>Connects each output port to the same-numbered input port of <paramref name="to"/>; both streams run.</summary>
        public void PlayInto(Client to)
        {
            var outputs = Ports("outport");
            var inputs = to.Ports("inport");
            Assert.That(outputs, Has.Count.EqualTo(Channels));
            Assert.That(inputs, Has.Count.EqualTo(Channels));
            for (int c = 0; c < Channels; c++)
                JackServerFixture.Server.Connect(outputs[c], inputs[c]);
        }

        /// <summary>Periods the driver flagged as an over- or underflow (JACK tells every client of an xrun).</summary>
        public ulong Xruns()
        {
            var stats = Audio.GetStreamStatistics();
            return stats.OutputUnderflows + stats.InputOverflows;
        }

        public void Dispose() => Audio.Dispose();

        private List<string> Ports(string kind) =>
            JackServerFixture.Server.ListPorts().Where(p => p.StartsWith($"{Options.StreamName}:{kind}", StringComparison.Ordinal)).Order().ToList();
    }

    /// <summary>
    /// An input-only float32 stream of a client of its own that keeps what it hears once armed,
    /// until full, and which of its periods the driver flagged. Across clients a period can be
    /// skipped or repeated: the dummy server here often runs a cycle without a late client, and
    /// JACK then tells every client of the xrun. The audio thread writes; the test reads after
    /// <see cref="WaitFull"/>.
    /// </summary>
    private sealed class Recorder : IDisposable
    {
        private const int Nearby = 4; // periods a skip may lie from its xrun flag: a chosen tolerance
        private readonly float[] _samples;
        private readonly bool[] _flagged;
        private int _frames;
        private int _armed;

        public Recorder(int frames)
        {
            _samples = new float[frames * Channels];
            _flagged = new bool[(frames / Period) + 1];
            Client.Audio.OpenStream<float>(null, Client.Input(), RtAudioFormat.Float32, Rate, Period, Record, Client.Options);
            Client.Audio.StartStream();
        }

        public Client Client { get; } = new("rec");

        public int Frames => _samples.Length / Channels;

        public int FlaggedPeriods => _flagged.Count(f => f);

        public void Arm() => Volatile.Write(ref _armed, 1);

        public bool WaitFull(TimeSpan timeout) => Streams.WaitUntil(() => Volatile.Read(ref _frames) == Frames, timeout);

        public float Sample(int frame, int channel) => _samples[(frame * Channels) + channel];

        public bool SilentFrom(int frame) => _samples.AsSpan(frame * Channels).IndexOfAnyExcept(0f) < 0;

        /// <summary>Whether a period near <paramref name="frame"/> was flagged.</summary>
        public bool FlaggedNear(int frame)
        {
            int period = frame / Period;
            return _flagged.AsSpan(Math.Max(0, period - Nearby), Math.Min(_flagged.Length, period + Nearby + 1) - Math.Max(0, period - Nearby)).Contains(true);
        }

        public void Dispose() => Client.Dispose();

        private CallbackResult Record(Span<float> output, ReadOnlySpan<float> input, int frames, double time, StreamStatus status)
        {
            if (Volatile.Read(ref _armed) == 0)
                return CallbackResult.Continue;
            int done = _frames;
            int take = Math.Min(frames, Frames - done);
            input[..(take * Channels)].CopyTo(_samples.AsSpan(done * Channels));
            if (status != StreamStatus.None && take > 0)
                _flagged[done / Period] = true;
            Volatile.Write(ref _frames, done + take);
            return CallbackResult.Continue;
        }
    }
}
