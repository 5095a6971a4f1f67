namespace PyRtAudioNet.Tests;

/// <summary>Each bad input gives its documented exception naming the bad value; the process stays healthy.</summary>
public sealed class BadInputTests
{
    private static readonly AudioCallback<float> Silence = (_, _, _, _, _) => CallbackResult.Continue;

    // SInt8, SInt16, SInt24 (3 packed bytes), SInt32, Float32, Float64.
    private static readonly int[] PackedSampleBytes = [1, 2, 3, 4, 4, 8];

    private static uint Open(RtAudio audio, StreamParameters? output, uint sampleRate = JackServerFixture.SampleRate, uint bufferFrames = JackServerFixture.Period) =>
        audio.OpenStream(output, null, RtAudioFormat.Float32, sampleRate, bufferFrames, Silence);

    [TearDown]
    public void ProcessStaysHealthy()
    {
        using var audio = Streams.OpenJack();
        int calls = 0;
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, _, _) => { Interlocked.Increment(ref calls); return CallbackResult.Continue; });
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => Volatile.Read(ref calls) > 10, TimeSpan.FromSeconds(5)), Is.True, "a stream still runs after the bad input");
        audio.StopStream();
    }

    [Test]
    public void UnknownDeviceIdInGetDeviceInfo()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<RtAudioException>(() => audio.GetDeviceInfo(999));
        Assert.That(e!.ErrorType, Is.EqualTo(RtAudioErrorType.InvalidDevice));
        Assert.That(e.Message, Does.Contain("999"));
    }

    [Test]
    public void UnknownDeviceIdInOpenStream()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<RtAudioException>(() => Open(audio, new StreamParameters(4242, 2)));
        Assert.That(e!.ErrorType, Is.EqualTo(RtAudioErrorType.InvalidDevice));
        Assert.That(e.Message, Does.Contain("4242"));
        Assert.That(audio.IsStreamOpen(), Is.False);
    }

    [Test]
    public void ZeroChannels()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Open(audio, new StreamParameters(audio.GetDefaultOutputDevice(), 0)));
        Assert.That(e!.ParamName, Is.EqualTo("output"));
        Assert.That(e.Message, Does.Contain("Channels").And.Contain("Actual value was 0."));
    }

    [Test]
    public void SampleRateZero()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Open(audio, Streams.DefaultOutput(audio), sampleRate: 0));
        Assert.That(e!.ParamName, Is.EqualTo("sampleRate"));
        Assert.That(e.Message, Does.Contain("Actual value was 0."));
    }

    [Test]
    public void AbsurdBufferSize()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Open(audio, Streams.DefaultOutput(audio), bufferFrames: 1u << 30));
        Assert.That(e!.ParamName, Is.EqualTo("bufferFrames"));
        Assert.That(e.Message, Does.Contain("1073741824"));
    }

    [Test]
    public void SampleTypeThatDoesNotMatchTheFormat()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<ArgumentException>(() => audio.OpenStream<short>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, 64, (_, _, _, _, _) => CallbackResult.Continue));
        Assert.That(e!.Message, Does.StartWith("a Float32 stream's samples are Single (or Byte for raw bytes), not Int16"));
        Assert.That(e.ParamName, Is.EqualTo("callback"));
    }

    [Test]
    public void StreamNameWithNul()
    {
        using var audio = Streams.OpenJack();
        var e = Assert.Throws<ArgumentException>(() => audio.OpenStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, 64, Silence, new StreamOptions { StreamName = "bad\0name" }));
        Assert.That(e!.Message, Does.Contain("bad\\0name"));
    }

    [Test]
    public void PrimingWithoutACallbackOrWithoutOutputIsRefused()
    {
        using var audio = Streams.OpenJack();
        var prime = new StreamOptions { PrimeOutputWithCallback = true };
        var input = new StreamParameters(audio.GetDefaultInputDevice(), 1);
        var refusals = new[]
        {
            Assert.Throws<ArgumentException>(() => audio.OpenBlockingStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, 64, options: prime)),
            Assert.Throws<ArgumentException>(() => audio.OpenStream(null, input, RtAudioFormat.Float32, JackServerFixture.SampleRate, 64, Silence, prime)),
        };
        Assert.That(refusals.Select(e => e!.Message), Is.All.StartsWith("PrimeOutputWithCallback needs a callback stream with output"));
        Assert.That(audio.IsStreamOpen(), Is.False);
    }

    [Test]
    public void StreamNamesUpToTheLimitAreJackClientNamesAndLongerOnesAreRefused()
    {
        // The limit is JACK's: a name of MaxStreamNameBytes bytes opens and names the ports.
        string longest = ("limit" + Guid.NewGuid().ToString("N")).PadRight(RtAudioLimits.MaxStreamNameBytes, 'x');
        using (var audio = Streams.OpenJack())
        {
            audio.OpenStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, 64, Silence, new StreamOptions { StreamName = longest });
            Assert.That(JackServerFixture.Server.ListPorts(), Does.Contain(longest + ":outport 0"));
        }
        using var refusing = Streams.OpenJack();
        var e = Assert.Throws<ArgumentException>(() => refusing.OpenStream(Streams.DefaultOutput(refusing), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, 64, Silence, new StreamOptions { StreamName = longest + "y" }));
        Assert.That(e!.Message, Does.Contain($"{RtAudioLimits.MaxStreamNameBytes + 1} UTF-8 bytes long; at most {RtAudioLimits.MaxStreamNameBytes}"));
    }

    [Test]
    public void EachLimitIsRefusedOneAboveAndSampleSizesAreTheFormats()
    {
        Assert.That(Enum.GetValues<RtAudioFormat>().Where(f => f != RtAudioFormat.None).Select(RtAudioLimits.SampleBytes), Is.EqualTo(PackedSampleBytes));
        Assert.Throws<ArgumentException>(() => RtAudioLimits.SampleBytes(RtAudioFormat.None));
        Assert.Throws<ArgumentException>(() => RtAudioLimits.SampleBytes(RtAudioFormat.SInt8 | RtAudioFormat.SInt16));
        using var audio = Streams.OpenJack();
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(audio, Streams.DefaultOutput(audio, RtAudioLimits.MaxChannels + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(audio, Streams.DefaultOutput(audio), sampleRate: RtAudioLimits.MaxSampleRate + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Open(audio, Streams.DefaultOutput(audio), bufferFrames: RtAudioLimits.MaxBufferFrames + 1));
    }

    [Test]
    public void OpeningTwice()
    {
        using var audio = Streams.OpenJack();
        Open(audio, Streams.DefaultOutput(audio));
        var e = Assert.Throws<RtAudioException>(() => Open(audio, Streams.DefaultOutput(audio)));
        Assert.That(e!.ErrorType, Is.EqualTo(RtAudioErrorType.InvalidUse));
        Assert.That(e.Message, Does.Contain("already open"));
        Assert.That(audio.IsStreamOpen(), Is.True, "the first stream is still open");
    }

    [Test]
    public void StartingAClosedStream()
    {
        using var audio = Streams.OpenJack();
        Open(audio, Streams.DefaultOutput(audio));
        audio.CloseStream();
        var e = Assert.Throws<RtAudioException>(audio.StartStream);
        Assert.That(e!.ErrorType, Is.EqualTo(RtAudioErrorType.InvalidUse));
        Assert.That(e.Message, Does.StartWith("StartStream:"));
    }

    [Test]
    public void UseAfterDispose()
    {
        var audio = Streams.OpenJack();
        audio.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => audio.GetDeviceCount());
        Assert.That(e!.ObjectName, Is.EqualTo(nameof(RtAudio)));
        Assert.Throws<ObjectDisposedException>(audio.StartStream);
        Assert.Throws<ObjectDisposedException>(() => audio.GetStreamStatistics());
    }

    [Test]
    public void UndefinedApi()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RtAudio((RtAudioApi)77));
        Assert.That(e!.Message, Does.Contain("77"));
    }

    [Test]
    public void ApiThatIsNotCompiledIn()
    {
        var e = Assert.Throws<RtAudioException>(() => _ = new RtAudio(RtAudioApi.WindowsAsio));
        Assert.That(e!.ErrorType, Is.EqualTo(RtAudioErrorType.InvalidParameter));
        Assert.That(e.Message, Does.Contain("asio").And.Contain("jack"));
    }
}
