using System.Diagnostics;
using System.Globalization;

namespace PyRtAudioNet.Tests;

public sealed class BlockingStreamTests
{
    private const int Rate = JackServerFixture.SampleRate;
    private const int Modulus = 1 << 20;

    /// <summary>Sample n of the counter signal: exact in float32, never 0.</summary>
    private static float Counter(long n) => ((n % Modulus) + 1) / (float)Modulus;

    private static int CounterIndex(float sample) => (int)Math.Round(sample * Modulus) - 1;

    private static double IntegritySeconds() =>
        double.TryParse(Environment.GetEnvironmentVariable("PRTN_INTEGRITY_SECONDS"), CultureInfo.InvariantCulture, out double seconds) ? seconds : 10;

    private static (RtAudio Audio, string Name) OpenLoop(uint ringFrames)
    {
        var audio = Streams.OpenJack();
        var options = Streams.Named("ring", StreamFlags.JackDontConnect);
        uint device = audio.GetDefaultOutputDevice();
        audio.OpenBlockingStream(new StreamParameters(device, 1), new StreamParameters(device, 1), RtAudioFormat.Float32, Rate, JackServerFixture.Period,
            new BlockingOptions { RingFrames = ringFrames }, options);
        return (audio, options.StreamName!);
    }

    [Test]
    public void SelfLoopbackIsLosslessWhileGarbageCollectionsRun()
    {
        int frames = (int)(IntegritySeconds() * Rate);
        var (audio, name) = OpenLoop(ringFrames: Rate);
        using (audio)
        {
            var recorded = new float[frames];
            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            using var stop = new CancellationTokenSource();
            long written = 0;
            int read = 0;
            int collections = 0;
            var prefill = new float[Rate];
            for (int i = 0; i < prefill.Length; i++)
                prefill[i] = Counter(written++);
            audio.Write<float>(prefill);

            Thread Worker(Action body) => new(() =>
            {
                try
                {
                    body();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (RtAudioException) when (stop.IsCancellationRequested)
                {
                    // the stream was stopped under a pending write or read: the end of the test
                }
#pragma warning disable CA1031 // Reported by the assertion below.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Enqueue(e);
                }
            });
            var writer = Worker(() =>
            {
                var chunk = new float[256];
                while (true)
                {
                    for (int i = 0; i < chunk.Length; i++)
                        chunk[i] = Counter(written + i);
                    audio.Write<float>(chunk, cancellationToken: stop.Token);
                    written += chunk.Length;
                }
            });
            var reader = Worker(() =>
            {
                while (read < frames)
                    read += audio.Read(recorded.AsSpan(read, Math.Min(256, frames - read)), cancellationToken: stop.Token);
            });
            var collector = Worker(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    _ = new byte[1 << 16];
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    Interlocked.Increment(ref collections);
                    Thread.Sleep(1); // full collections back to back, with room for the readers and writers
                }
            });

            StreamStatistics statistics;
            try
            {
                audio.StartStream();
                JackServerFixture.Server.Connect(name + ":outport 0", name + ":inport 0");
                reader.Start();
                writer.Start();
                collector.Start();
                bool finished = reader.Join(TimeSpan.FromSeconds((IntegritySeconds() * 3) + 10));
                statistics = audio.GetStreamStatistics();
                Assert.That(finished, Is.True, $"the reader finished ({read} of {frames} frames read, {collections} GCs, {statistics})");
            }
            finally
            {
                stop.Cancel();
                audio.AbortStream();
                foreach (var thread in new[] { reader, writer, collector })
                {
                    if (thread.ThreadState != System.Threading.ThreadState.Unstarted)
                        thread.Join();
                }
            }
            Assert.That(failures, Is.Empty);

            int first = Array.FindIndex(recorded, s => s != 0);
            Assert.That(first, Is.GreaterThanOrEqualTo(0), "the loop carried the signal");
            int lost = 0, duplicated = 0, reordered = 0;
            for (int i = first + 1; i < frames; i++)
            {
                int step = (CounterIndex(recorded[i]) - CounterIndex(recorded[i - 1]) + Modulus) % Modulus;
                if (step == 0)
                    duplicated++;
                else if (step > Modulus / 2)
                    reordered++;
                else if (step > 1)
                    lost += step - 1;
            }
            TestContext.Progress.WriteLine($"{frames - first} frames checked, {collections} forced GCs, {statistics}");
            Assert.Multiple(() =>
            {
                Assert.That((lost, duplicated, reordered), Is.EqualTo((0, 0, 0)), "lost, duplicated, reordered samples");
                Assert.That(statistics.RingUnderflows, Is.Zero);
                Assert.That(statistics.RingOverflows, Is.Zero);
                Assert.That(collections, Is.GreaterThan(10), "collections ran meanwhile");
            });
        }
    }

    /// <summary>
    /// With <see cref="StreamOptions.FixedBlockSize"/> a blocking stream's rings trade blocks of the
    /// asked size with the device, whatever the server's period: input arrives in whole blocks, and
    /// a counter written, looped through the stream's own ports and read back comes back whole,
    /// exactly a period and the added block after the device played it.
    /// </summary>
    [Test]
    public void FixedBlocksOfABlockingStreamLoopBackExactly(
        [Values(100u, 256u, 1000u, 1024u, 2400u)] uint block,
        [Values(JackServerFixture.Period, JackServerFixture.OtherPeriod)] int period)
    {
        using var jack = JackServerFixture.UseServerOf(period);
        using var audio = Streams.OpenJack();
        var options = Streams.Named("blk", StreamFlags.JackDontConnect);
        options.FixedBlockSize = true;
        uint device = audio.GetDefaultOutputDevice();
        uint granted = audio.OpenBlockingStream(new StreamParameters(device, 1), new StreamParameters(device, 1), RtAudioFormat.Float32, Rate, block,
            new BlockingOptions { RingFrames = Rate }, options);
        Assert.That(granted, Is.EqualTo(block));
        long added = block == period ? 0 : block;
        long written = 0;
        void WriteCounter(int frames)
        {
            var chunk = new float[frames];
            for (int i = 0; i < frames; i++)
                chunk[i] = Counter(written + i);
            audio.Write<float>(chunk);
            written += frames;
        }
        WriteCounter(Rate / 2); // half a second ahead: the loop runs on while this thread waits
        audio.StartStream();
        DuplexLoopbackTests.ConnectToItself(jack.Server, options, 1);
        var recorded = new float[(Rate + block - 1) / block * block]; // a second, in whole blocks
        int pieces = 0; // reads after which part of a block waited
        for (int read = 0; read < recorded.Length; read += (int)block)
        {
            audio.Read(recorded.AsSpan(read, (int)block));
            if (audio.GetReadAvailable() % block != 0)
                pieces++;
            WriteCounter((int)block);
        }
        var statistics = audio.GetStreamStatistics();
        audio.AbortStream();

        Assert.That(pieces, Is.Zero, "input that arrived in pieces of other sizes");
        Assert.That((statistics.RingUnderflows, statistics.RingOverflows), Is.EqualTo((0UL, 0UL)), statistics.ToString());
        int first = Array.FindIndex(recorded, s => s != 0);
        Assert.That(first, Is.InRange(0, Rate / 2), "the loop carried the counter within half a second");
        int late = 0;
        for (int f = first; f < recorded.Length; f++)
        {
            if (recorded[f] == 0 || (f - CounterIndex(recorded[f]) + Modulus) % Modulus != period + added)
                late++;
        }
        Assert.That(late, Is.Zero, $"samples missing or not {period + added} frames after they played");
    }

    [Test]
    public void EdgeCasesOfWriteAndRead()
    {
        var (audio, _) = OpenLoop(ringFrames: 1024);
        using (audio)
        {
            Assert.That(audio.Write(ReadOnlySpan<float>.Empty), Is.Zero, "writing 0 frames");
            Assert.That(audio.GetWriteAvailable(), Is.EqualTo(1024u));
            var e1 = Assert.Throws<ArgumentException>(() => audio.Write<short>(new short[4]));
            Assert.That(e1!.Message, Does.StartWith("a Float32 stream's samples are Single (or Byte for raw bytes), not Int16"));
            audio.Write<float>(new float[1024]);
            var e2 = Assert.Throws<RtAudioException>(() => audio.Write<float>(new float[10]));
            Assert.That(e2!.Message, Does.Contain("not running").And.Contain("0 of 10 frames written"));
            var e3 = Assert.Throws<RtAudioException>(() => audio.Read(new float[10]));
            Assert.That(e3!.Message, Does.Contain("not running"));

            audio.StartStream();
            var big = new float[10 * 1024];
            Assert.That(audio.Write<float>(big), Is.EqualTo(big.Length), "a write larger than the ring waits for room");
            var e4 = Assert.Throws<TimeoutException>(() => audio.Write<float>(new float[Rate * 10], TimeSpan.FromMilliseconds(100)));
            Assert.That(e4!.Message, Does.Contain("timed out after 0.1 s").And.Contain("of 480000 frames written"));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.That(() => audio.Write<float>(new float[Rate * 10], cancellationToken: cancel.Token), Throws.InstanceOf<OperationCanceledException>());
            var e5 = Assert.Throws<ArgumentOutOfRangeException>(() => audio.Write<float>(new float[1], TimeSpan.FromSeconds(-2)));
            Assert.That(e5!.ParamName, Is.EqualTo("timeout"));

            audio.CloseStream();
            var e6 = Assert.Throws<RtAudioException>(() => audio.Write<float>(new float[4]));
            Assert.That(e6!.Message, Does.Contain("no blocking stream is open"));
        }
    }

    [Test]
    public void StereoLengthThatIsNotWholeFramesIsRefused()
    {
        using var audio = Streams.OpenJack();
        audio.OpenBlockingStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, Rate, 64);
        var e = Assert.Throws<ArgumentException>(() => audio.Write<float>(new float[3]));
        Assert.That(e!.Message, Does.Contain("3 samples").And.Contain("frames of 2 samples"));
        Assert.Throws<RtAudioException>(() => audio.Read(new float[2]), "no input");
    }

    [Test]
    public void CloseWakesABlockedWriterWhichThenThrows()
    {
        var (audio, _) = OpenLoop(ringFrames: 1024);
        using (audio)
        {
            audio.StartStream();
            Exception? seen = null;
            var writer = new Thread(() =>
            {
                try
                {
                    audio.Write<float>(new float[Rate * 30]);
                }
                catch (RtAudioException e)
                {
                    seen = e;
                }
            });
            writer.Start();
            Thread.Sleep(200);
            var clock = Stopwatch.StartNew();
            audio.CloseStream();
            Assert.That(writer.Join(TimeSpan.FromSeconds(5)), Is.True, "the writer woke");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(seen, Is.Not.Null);
            Assert.That(seen!.Message, Does.Contain("no blocking stream is open"));
        }
    }

    [TestCase(UnderflowMode.Pad, 32UL)]
    [TestCase(UnderflowMode.WholePeriod, 0UL)]
    public void UnderflowModeDecidesWhatAPartialPeriodPlays(UnderflowMode mode, ulong framesPlayed)
    {
        using var audio = Streams.OpenJack();
        audio.OpenBlockingStream(new StreamParameters(audio.GetDefaultOutputDevice(), 1), null, RtAudioFormat.Float32, Rate, JackServerFixture.Period,
            new BlockingOptions { RingFrames = 1024, Underflow = mode });
        audio.Write<float>(new float[JackServerFixture.Period / 2]);
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => audio.GetStreamStatistics().RingUnderflows > 5, TimeSpan.FromSeconds(5)), Is.True, "underflows are counted");
        Assert.That(audio.GetStreamStatistics().FramesWritten, Is.EqualTo(framesPlayed), "frames taken from the ring");
        Assert.That(audio.GetWriteAvailable(), Is.EqualTo(1024u - (32u - (uint)framesPlayed)));
        audio.StopStream();
        Assert.That(audio.GetStreamStatistics().FramesWritten, Is.EqualTo(32UL), "stop() plays out a partial period too");
    }

    private static RtAudio OpenOutput(uint ringFrames)
    {
        var audio = Streams.OpenJack();
        audio.OpenBlockingStream(new StreamParameters(audio.GetDefaultOutputDevice(), 1), null, RtAudioFormat.Float32, Rate, JackServerFixture.Period,
            new BlockingOptions { RingFrames = ringFrames });
        return audio;
    }

    [Test]
    public void StopReturnsOnceEveryFrameWrittenWasTakenFromTheRing()
    {
        using var audio = OpenOutput(Rate);
        audio.StartStream();
        audio.Write<float>(new float[Rate / 2]);
        ulong underflows = audio.GetStreamStatistics().RingUnderflows;
        audio.StopStream();
        var statistics = audio.GetStreamStatistics();
        Assert.That(statistics.FramesWritten, Is.EqualTo((ulong)(Rate / 2)), "frames handed to the server when stop() returned");
        Assert.That(statistics.RingUnderflows, Is.EqualTo(underflows), "the last, partial period of a drain is no underflow");
    }

    [Test]
    public void AbortDropsWhatWasWrittenAndARestartNeverPlaysIt()
    {
        using var audio = OpenOutput(Rate);
        audio.StartStream();
        audio.Write<float>(new float[Rate / 2]);
        var clock = Stopwatch.StartNew();
        audio.AbortStream();
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(200)), "abort() returns at once");
        Assert.That(audio.GetWriteAvailable(), Is.EqualTo((uint)Rate), "the ring was emptied");
        ulong played = audio.GetStreamStatistics().FramesWritten;
        Assert.That(played, Is.LessThan((ulong)(Rate / 2)));
        audio.StartStream();
        Thread.Sleep(100);
        audio.StopStream();
        Assert.That(audio.GetStreamStatistics().FramesWritten, Is.EqualTo(played), "nothing written before the abort played after it");
    }

    [Test]
    public void InputOnlyStreamReadsWhatAnotherClientPlaysInOrder()
    {
        using var feeder = Streams.OpenJack();
        var feederOptions = Streams.Named("feed", StreamFlags.JackDontConnect);
        long fed = 0;
        feeder.OpenStream<float>(new StreamParameters(feeder.GetDefaultOutputDevice(), 1), null, RtAudioFormat.Float32, Rate, JackServerFixture.Period, (output, _, frames, _, _) =>
        {
            for (int i = 0; i < frames; i++)
                output[i] = Counter(fed + i);
            fed += frames;
            return CallbackResult.Continue;
        }, feederOptions);
        using var reader = Streams.OpenJack();
        var readerOptions = Streams.Named("input", StreamFlags.JackDontConnect);
        reader.OpenBlockingStream(null, new StreamParameters(reader.GetDefaultInputDevice(), 1), RtAudioFormat.Float32, Rate, JackServerFixture.Period,
            new BlockingOptions { RingFrames = Rate }, readerOptions);
        feeder.StartStream();
        reader.StartStream();
        JackServerFixture.Server.Connect(feederOptions.StreamName + ":outport 0", readerOptions.StreamName + ":inport 0");
        ulong Xruns() => reader.GetStreamStatistics().InputOverflows + feeder.GetStreamStatistics().OutputUnderflows;
        void ReadAll(Span<float> into)
        {
            for (int read = 0; read < into.Length;)
                read += reader.Read(into[read..Math.Min(read + JackServerFixture.Period, into.Length)], TimeSpan.FromSeconds(5));
        }

        // The first half second: the clients' start and the connection (the dummy server reports xruns then).
        var settling = new float[Rate / 2];
        ReadAll(settling);
        Assert.That(settling, Has.Some.Not.EqualTo(0f), "the connection carried the counter");
        ulong xrunsBefore = Xruns();
        var recorded = new float[Rate];
        ReadAll(recorded);
        ulong xruns = Xruns() - xrunsBefore;

        int breaks = 0;
        int previous = CounterIndex(settling[^1]);
        foreach (float sample in recorded)
        {
            int index = CounterIndex(sample);
            if (index != (previous + 1) % Modulus)
                breaks++;
            previous = index;
        }
        Assert.Multiple(() =>
        {
            Assert.That(reader.GetStreamStatistics().RingOverflows, Is.Zero, "the reader kept up");
            // Across clients, a cycle the dummy server ran without a late one skips or repeats a
            // period (one break in the counter), and JACK tells both clients of it.
            Assert.That(breaks, Is.LessThanOrEqualTo(xruns), $"breaks in the counter beyond the {xruns} xruns reported");
        });
    }

    [Test]
    public void WriteOnACallbackStreamIsRefused()
    {
        using var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, Rate, 64, (_, _, _, _, _) => CallbackResult.Continue);
        var e = Assert.Throws<RtAudioException>(() => audio.Write<float>(new float[2]));
        Assert.That(e!.Message, Does.Contain("no blocking stream is open"));
    }
}
