namespace PyRtAudioNet.Tests;

public sealed class StopAndAbortTests
{
    private static (RtAudio Audio, Func<int> Calls) OpenCounting(CallbackResult resultAfterTen)
    {
        int calls = 0;
        var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, _, _) => Interlocked.Increment(ref calls) >= 10 ? resultAfterTen : CallbackResult.Continue);
        return (audio, () => Volatile.Read(ref calls));
    }

    [TestCase(CallbackResult.Stop)]
    [TestCase(CallbackResult.Abort)]
    public void CallbackResultStopsTheStreamAndNoFurtherCallbackComes(CallbackResult result)
    {
        var (audio, calls) = OpenCounting(result);
        using (audio)
        {
            audio.StartStream();
            Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(5)), Is.True, "stream stopped by its callback");
            Thread.Sleep(100); // 75 periods: any further callback would show
            Assert.That(calls(), Is.EqualTo(10));
            Assert.That(audio.IsStreamOpen(), Is.True);
        }
    }

    [TestCase(CallbackResult.Stop)]
    [TestCase(CallbackResult.Abort)]
    public void StreamTimeStaysWhereTheCallbackStoppedItAndResumesThereOnRestart(CallbackResult result)
    {
        var times = new double[20];
        int calls = 0;
        using var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, streamTime, _) =>
            {
                int call = Interlocked.Increment(ref calls);
                if (call <= times.Length)
                    Volatile.Write(ref times[call - 1], streamTime);
                return call == 10 ? result : CallbackResult.Continue;
            });
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(5)), Is.True, "stream stopped by its callback");
        double period = (double)JackServerFixture.Period / JackServerFixture.SampleRate;
        double stopped = audio.GetStreamTime();
        Assert.That(stopped, Is.EqualTo(Volatile.Read(ref times[9]) + period).Within(1e-9), "the end of the last period");
        Thread.Sleep(300); // 225 silent periods served meanwhile
        Assert.That(audio.GetStreamTime(), Is.EqualTo(stopped), "the time stays while the stream is stopped");
        audio.StopStream();
        Assert.That(audio.GetStreamTime(), Is.EqualTo(stopped), "a stop keeps it");
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => Volatile.Read(ref calls) > 10, TimeSpan.FromSeconds(5)), Is.True, "callbacks resume after a restart");
        Assert.That(Volatile.Read(ref times[10]), Is.InRange(stopped, stopped + 0.1), "the time resumes where it stayed");
    }

    [Test]
    public void ACallbackQueryingItsOwnStreamWhileAnotherThreadStopsItDoesNotDeadlock()
    {
        RtAudio? audio = null;
        long refused = 0;
        long queries = 0;
        audio = Streams.OpenJack();
        using (audio)
        {
            audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
                (_, _, _, _, _) =>
                {
                    Thread.Sleep(1); // most of the period: a stop mostly arrives while the callback runs
                    try
                    {
                        audio.GetStreamTime(); // needs the object's lock, which StopStream holds while it waits for this callback
                        Interlocked.Increment(ref queries);
                    }
                    catch (RtAudioException e) when (e.ErrorType == RtAudioErrorType.InvalidUse)
                    {
                        Interlocked.Increment(ref refused);
                    }
                    return CallbackResult.Continue;
                });
            for (int round = 0; round < 20; round++)
            {
                audio.StartStream();
                Assert.That(Streams.WaitUntil(() => Interlocked.Read(ref queries) > round * 5, TimeSpan.FromSeconds(5)), "the callback queries");
                var stopper = new Thread(audio.StopStream);
                stopper.Start();
                Assert.That(stopper.Join(TimeSpan.FromSeconds(5)), Is.True, $"StopStream returned (round {round})");
            }
            TestContext.Progress.WriteLine($"queries {queries}, refused while another thread held the lock {refused}");
            // A query is refused only by the callback in flight when StopStream took the lock (one per
            // round at most), and the stops land in the callback's sleep most of the time.
            Assert.That(Interlocked.Read(ref refused), Is.InRange(1, 20), "refused queries");
        }
    }

    [Test]
    public void StopStreamStopsCallbacksAndTheStreamCanRestart() => StopThenRestart(audio => audio.StopStream());

    [Test]
    public void AbortStreamStopsCallbacksAndTheStreamCanRestart() => StopThenRestart(audio => audio.AbortStream());

    private static void StopThenRestart(Action<RtAudio> stop)
    {
        var (audio, calls) = OpenCounting(CallbackResult.Continue);
        using (audio)
        {
            audio.StartStream();
            Assert.That(Streams.WaitUntil(() => calls() > 20, TimeSpan.FromSeconds(5)), Is.True);
            stop(audio);
            Assert.That(audio.IsStreamRunning(), Is.False);
            int afterStop = calls();
            Thread.Sleep(100);
            Assert.That(calls(), Is.EqualTo(afterStop), "no callback after the stop returned");

            audio.StartStream();
            Assert.That(Streams.WaitUntil(() => calls() > afterStop + 20, TimeSpan.FromSeconds(5)), Is.True, "callbacks resume after a restart");
            audio.StopStream();
        }
    }

    [Test]
    public void DisposeStopsAndClosesARunningStream()
    {
        var (audio, calls) = OpenCounting(CallbackResult.Continue);
        int live = Interop.NativeMethods.LiveInstances();
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => calls() > 5, TimeSpan.FromSeconds(5)), Is.True);
        audio.Dispose();
        int afterDispose = calls();
        Thread.Sleep(100);
        Assert.Multiple(() =>
        {
            Assert.That(calls(), Is.EqualTo(afterDispose));
            Assert.That(Interop.NativeMethods.LiveInstances(), Is.EqualTo(live - 1));
        });
        audio.Dispose(); // idempotent
    }
}
