using System.Diagnostics;

namespace PyRtAudioNet.Tests;

public sealed class OutputStreamTests
{
    /// <summary>
    /// A busy machine makes JACK's dummy driver skip periods it began late, and the server reports
    /// each such cycle as an xrun: a shortfall beyond 5% (up to 20%) is accepted only with one.
    /// </summary>
    [Test]
    public void TwoSecondsAt48kHzGiveAboutFifteenHundredCallbacksAndMatchingStreamTime()
    {
        using var audio = Streams.OpenJack();
        int callbacks = 0;
        uint frames = audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (output, _, _, _, _) =>
            {
                Interlocked.Increment(ref callbacks);
                output.Fill(0.25f);
                return CallbackResult.Continue;
            });
        Assert.That(frames, Is.EqualTo((uint)JackServerFixture.Period));

        var clock = Stopwatch.StartNew();
        audio.StartStream();
        Thread.Sleep(2000);
        double streamTime = audio.GetStreamTime();
        double wallTime = clock.Elapsed.TotalSeconds;
        audio.StopStream();
        int counted = Volatile.Read(ref callbacks);
        double expected = wallTime * JackServerFixture.SampleRate / JackServerFixture.Period;
        var statistics = audio.GetStreamStatistics();
        double shortfall = statistics.OutputUnderflows > 0 ? 0.20 : 0.05;
        double periods = audio.GetStreamTime() * JackServerFixture.SampleRate / JackServerFixture.Period;
        TestContext.Out.WriteLine($"{counted} callbacks in {wallTime:F3} s ({expected:F0} periods), {statistics.OutputUnderflows} xruns reported");

        Assert.Multiple(() =>
        {
            Assert.That(counted, Is.InRange(expected * (1 - shortfall), expected * 1.05), $"callbacks in {wallTime:F3} s of wall time");
            Assert.That(streamTime, Is.InRange(wallTime * (1 - shortfall), wallTime * 1.05), "stream time vs wall time");
            Assert.That(statistics.Callbacks, Is.GreaterThanOrEqualTo((ulong)counted));
            Assert.That(statistics.Frames, Is.EqualTo(statistics.Callbacks * JackServerFixture.Period));
            // RtAudio's stream time also counts the few silent periods that drain the output at the stop.
            Assert.That(periods, Is.InRange(statistics.Callbacks - 1e-6, statistics.Callbacks + 4), "stream time counts the periods");
            Assert.That(audio.GetStreamSampleRate(), Is.EqualTo((uint)JackServerFixture.SampleRate));
            Assert.That(audio.GetStreamLatency(), Is.EqualTo(JackServerFixture.PortLatency("system:playback_1", "playback")), "JACK's latency of the port it plays to");
            Assert.That(audio.GetStreamLatencies(), Is.EqualTo(new StreamLatency(audio.GetStreamLatency(), 0)), "all of it on the output side");
        });
    }

    [Test]
    public void StreamTimeCanBeSet()
    {
        using var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue);
        audio.SetStreamTime(100.0);
        Assert.That(audio.GetStreamTime(), Is.EqualTo(100.0).Within(0.01));
    }

    [Test]
    public void OpenAndRunningStateFollowTheCalls()
    {
        using var audio = Streams.OpenJack();
        Assert.That(audio.IsStreamOpen(), Is.False);
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue);
        Assert.That((audio.IsStreamOpen(), audio.IsStreamRunning()), Is.EqualTo((true, false)));
        audio.StartStream();
        Assert.That(audio.IsStreamRunning(), Is.True);
        audio.StopStream();
        Assert.That((audio.IsStreamOpen(), audio.IsStreamRunning()), Is.EqualTo((true, false)));
        audio.CloseStream();
        Assert.That(audio.IsStreamOpen(), Is.False);
        audio.CloseStream(); // closing a closed stream is a no-op
    }

    [Test]
    public void CallbackDurationsAreMeasuredAtTheNativeBoundary()
    {
        using var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) =>
        {
            var busy = System.Diagnostics.Stopwatch.StartNew();
            while (busy.Elapsed < TimeSpan.FromMicroseconds(200))
                Thread.SpinWait(10); // a callback that takes at least 200 µs
            return CallbackResult.Continue;
        });
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => audio.GetCallbackDurations().Count > 100, TimeSpan.FromSeconds(5)), "periods are measured");
        audio.StopStream();
        var durations = audio.GetCallbackDurations();
        Assert.That(durations.P50Microseconds, Is.GreaterThanOrEqualTo(200));
        Assert.That(durations.P99Microseconds, Is.GreaterThanOrEqualTo(durations.P50Microseconds));
        Assert.That(durations.P999Microseconds, Is.GreaterThanOrEqualTo(durations.P99Microseconds));
        Assert.That(durations.MaxMicroseconds, Is.GreaterThanOrEqualTo(200));
        Assert.That(durations.RecentMicroseconds, Is.GreaterThanOrEqualTo(150)); // an average: the first periods pull it up from 0
        audio.ResetCallbackDurations();
        Assert.That(audio.GetCallbackDurations(), Is.EqualTo(new CallbackDurations(0, 0, 0, 0, 0, 0)));
    }
}
