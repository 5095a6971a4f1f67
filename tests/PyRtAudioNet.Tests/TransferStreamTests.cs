namespace PyRtAudioNet.Tests;

public sealed class TransferStreamTests
{
    /// <summary>An exactly representable float for frame <paramref name="frame"/>; never 0.</summary>
    private static float Signal(long frame) => ((frame % 4096) + 1) / 8192f;

    [Test]
    public void SelfConnectedTransferRecordsWhatItPlayedOnTheMappedChannelThenStopsItself()
    {
        const int frames = JackServerFixture.SampleRate / 2;
        var play = new float[frames];
        for (int f = 0; f < frames; f++)
            play[f] = Signal(f);
        var record = new float[frames * 2];
        using var audio = Streams.OpenJack();
        var options = Streams.Named("xfer", StreamFlags.JackDontConnect);
        uint period = audio.OpenTransferStream<float>(Streams.DefaultOutput(audio), play, Streams.DefaultInput(audio), record, RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period, new TransferOptions { OutputMap = [1] }, options);
        audio.StartStream();
        for (int c = 0; c < 2; c++)
            JackServerFixture.Server.Connect($"{options.StreamName}:outport {c}", $"{options.StreamName}:inport {c}");
        Assert.That(audio.WaitUntilStopped(TimeSpan.FromSeconds(10)), Is.True, "the transfer's end stops the stream");
        Assert.That(audio.IsStreamRunning(), Is.False);

        int first = Enumerable.Range(0, frames).First(f => record[(f * 2) + 1] != 0);
        Assert.That(first, Is.GreaterThanOrEqualTo((int)period), "nothing comes back before one period");
        int mismatches = Enumerable.Range(first, frames - first).Count(f => record[(f * 2) + 1] != play[f - (int)period]);
        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Zero, "channel 2 recorded what was played one period before");
            Assert.That(Enumerable.Range(0, frames).All(f => record[f * 2] == 0), Is.True, "channel 1 played silence");
        });
    }

    [Test]
    public void ALoopingTransferRunsUntilStoppedAndWaitUntilStoppedTimesOutMeanwhile()
    {
        using var audio = Streams.OpenJack();
        var play = new short[256 * 2];
        audio.OpenTransferStream<short>(Streams.DefaultOutput(audio), play, null, Memory<short>.Empty, RtAudioFormat.SInt16,
            JackServerFixture.SampleRate, JackServerFixture.Period, new TransferOptions { Loop = true });
        audio.StartStream();
        Assert.That(audio.WaitUntilStopped(TimeSpan.FromMilliseconds(200)), Is.False, "256 frames looped still run after 200 ms");
        var stopper = new Thread(() =>
        {
            Thread.Sleep(50);
            audio.StopStream();
        });
        stopper.Start();
        Assert.That(audio.WaitUntilStopped(TimeSpan.FromSeconds(10)), Is.True, "a stop by another thread ends the wait");
        stopper.Join();
        Assert.That(audio.GetStreamStatistics().Frames, Is.GreaterThan(256u * 10));
    }

    [Test]
    public void BadDataOrMapsAreRefusedNamingTheValueAndNothingStaysOpen()
    {
        using var audio = Streams.OpenJack();
        var output = Streams.DefaultOutput(audio);
        var input = Streams.DefaultInput(audio);
        uint rate = JackServerFixture.SampleRate;
        uint period = JackServerFixture.Period;
        Assert.Multiple(() =>
        {
            Assert.That(() => audio.OpenTransferStream<float>(output, new float[3], null, Memory<float>.Empty, RtAudioFormat.Float32, rate, period),
                Throws.ArgumentException.With.Message.Contains("3 samples, not a whole, non-zero number of frames of 2"));
            Assert.That(() => audio.OpenTransferStream<float>(output, new float[4], input, new float[2], RtAudioFormat.Float32, rate, period),
                Throws.ArgumentException.With.Message.Contains("record holds 1 frames, play 2"));
            Assert.That(() => audio.OpenTransferStream<float>(output, new float[4], null, Memory<float>.Empty, RtAudioFormat.Float32, rate, period, new TransferOptions { OutputMap = [2] }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("OutputMap[0] = 2 is not a channel of 2"));
            Assert.That(() => audio.OpenTransferStream<float>(output, new float[4], null, Memory<float>.Empty, RtAudioFormat.Float32, rate, period, new TransferOptions { OutputMap = [0, 0] }),
                Throws.ArgumentException.With.Message.Contains("names channel 0 twice"));
            Assert.That(() => audio.OpenTransferStream<short>(output, new short[4], null, Memory<short>.Empty, RtAudioFormat.Float32, rate, period),
                Throws.ArgumentException.With.Message.Contains("not Int16"));
            Assert.That(() => audio.OpenTransferStream<float>(output, new float[4], input, new float[4], RtAudioFormat.Float32, rate, period, new TransferOptions { Loop = true }),
                Throws.InstanceOf<RtAudioException>().With.Message.Contains("loop repeats output only"));
            Assert.That(audio.IsStreamOpen(), Is.False);
        });
    }
}
