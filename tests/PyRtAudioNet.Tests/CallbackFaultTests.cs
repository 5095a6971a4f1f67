namespace PyRtAudioNet.Tests;

public sealed class CallbackFaultTests
{
    private sealed class CallbackBoomException(string message) : Exception(message);

    private static RtAudio StartThrowingStream()
    {
        int calls = 0;
        var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, _, _) => Interlocked.Increment(ref calls) == 10 ? throw new CallbackBoomException("boom at call 10") : CallbackResult.Continue);
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(5)), Is.True, "the throwing callback aborted the stream");
        return audio;
    }

    [Test]
    public void ExceptionReachesTheCallerOfStopStreamOnce()
    {
        using var audio = StartThrowingStream();
        var e = Assert.Throws<CallbackBoomException>(audio.StopStream);
        Assert.That(e!.Message, Is.EqualTo("boom at call 10"));
        Assert.DoesNotThrow(audio.CloseStream, "reported once only");
    }

    [Test]
    public void ExceptionReachesTheCallerOfCloseStream()
    {
        using var audio = StartThrowingStream();
        Assert.Throws<CallbackBoomException>(audio.CloseStream);
        Assert.That(audio.IsStreamOpen(), Is.False, "the stream is closed all the same");
    }

    [Test]
    public void ExceptionReachesTheCallerOfDispose()
    {
        var audio = StartThrowingStream();
        Assert.Throws<CallbackBoomException>(audio.Dispose);
        Assert.Throws<ObjectDisposedException>(() => audio.IsStreamOpen(), "disposed all the same");
    }

    [Test]
    public void StoppingFromInsideTheCallbackIsRefusedNotADeadlock()
    {
        Exception? seen = null;
        int calls = 0;
        RtAudio? self = null;
        using var audio = Streams.OpenJack();
        self = audio;
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, _, _) =>
            {
                if (Interlocked.Increment(ref calls) == 5)
                {
                    try
                    {
                        self.StopStream();
                    }
                    catch (RtAudioException e)
                    {
                        seen = e;
                    }
                }
                return CallbackResult.Continue;
            });
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => Volatile.Read(ref calls) > 20, TimeSpan.FromSeconds(5)), Is.True, "the stream kept running");
        audio.StopStream();
        Assert.That(seen, Is.TypeOf<RtAudioException>());
        Assert.That(seen!.Message, Does.Contain("audio callback"));
    }
}
