using System.Diagnostics;
using PyRtAudioNet.JackDummy;

namespace PyRtAudioNet.Tests;

/// <summary>
/// A JACK server killed (SIGKILL) under a running stream: the loss is reported within 1 s
/// (event, exceptions, a blocked writer woken), close is prompt, and a new server works.
/// Each test runs its own server and points this process back at the shared one afterwards.
/// </summary>
[NonParallelizable]
public sealed class ServerLossTests
{
    private static readonly TimeSpan ReportBound = TimeSpan.FromSeconds(1);
    private JackDummyServer _server = null!;

    [SetUp]
    public void StartOwnServer()
    {
        _server = JackDummyServer.Start(period: JackServerFixture.Period);
        _server.UseForThisProcess();
    }

    [TearDown]
    public void BackToSharedServer()
    {
        _server.Dispose();
        JackServerFixture.Server.UseForThisProcess();
    }

    [Test]
    public void CallbackStreamReportsTheLossAndANewServerWorks()
    {
        long calls = 0;
        using var failed = new ManualResetEventSlim();
        StreamFailedEventArgs? report = null;
        using (var audio = Streams.OpenJack())
        {
            audio.StreamFailed += (_, e) =>
            {
                report = e;
                failed.Set();
            };
            audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
                (output, _, _, _, _) => { Interlocked.Increment(ref calls); return CallbackResult.Continue; });
            audio.StartStream();
            Assert.That(Streams.WaitUntil(() => Interlocked.Read(ref calls) > 20, TimeSpan.FromSeconds(5)), "the stream runs");

            _server.Kill();
            Assert.That(failed.Wait(ReportBound), Is.True, "StreamFailed is raised within 1 s");
            Assert.That(report!.Error.ErrorType, Is.EqualTo(RtAudioErrorType.DeviceDisconnect));
            Assert.That(report.Error.Message, Does.Contain("JACK server").And.Contain(_server.Name));
            Assert.That(audio.IsStreamRunning(), Is.False);
            Assert.That(audio.IsStreamOpen(), Is.True, "the lost stream stays open until its owner closes it");
            var error = Assert.Throws<RtAudioException>(() => audio.GetStreamTime());
            Assert.That(error!.ErrorType, Is.EqualTo(RtAudioErrorType.DeviceDisconnect));
            Assert.That(Assert.Throws<RtAudioException>(audio.StartStream)!.ErrorType, Is.EqualTo(RtAudioErrorType.DeviceDisconnect));

            var clock = Stopwatch.StartNew();
            audio.CloseStream(); // the loss was reported already: close does not throw it again
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "close returns promptly");
            Assert.That(audio.IsStreamOpen(), Is.False);
        }

        _server.Dispose();
        _server = JackDummyServer.Start(name: _server.Name, period: JackServerFixture.Period);
        _server.UseForThisProcess();
        using var again = Streams.OpenJack();
        Assert.That(again.GetDeviceCount(), Is.GreaterThan(0), "the device list is read afresh");
        long newCalls = 0;
        again.OpenStream<float>(Streams.DefaultOutput(again), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, _, _) => { Interlocked.Increment(ref newCalls); return CallbackResult.Continue; });
        again.StartStream();
        Assert.That(Streams.WaitUntil(() => Interlocked.Read(ref newCalls) > 20, TimeSpan.FromSeconds(5)), "a stream on the new server runs");
        again.StopStream();
    }

    [Test]
    public void BlockedWriterWakesWithTheLoss()
    {
        using var audio = Streams.OpenJack();
        audio.OpenBlockingStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period);
        audio.StartStream();
        Exception? writerError = null;
        var writer = new Thread(() =>
        {
            try
            {
                var silence = new float[2 * 4096];
                while (true)
                    audio.Write<float>(silence);
            }
            catch (RtAudioException e)
            {
                writerError = e;
            }
        });
        writer.Start();
        Assert.That(Streams.WaitUntil(() => audio.GetStreamStatistics().FramesWritten > 4096, TimeSpan.FromSeconds(5)), "the writer feeds the stream");

        _server.Kill();
        Assert.That(writer.Join(ReportBound), Is.True, "the blocked writer wakes within 1 s");
        Assert.That(writerError, Is.TypeOf<RtAudioException>());
        Assert.That(((RtAudioException)writerError!).ErrorType, Is.EqualTo(RtAudioErrorType.DeviceDisconnect));
        var clock = Stopwatch.StartNew();
        audio.CloseStream();
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "close returns promptly");
    }

    [Test]
    public void ClosingWithoutAnyOtherCallReportsTheLossOnce()
    {
        using var audio = Streams.OpenJack();
        audio.OpenBlockingStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period);
        audio.StartStream();
        _server.Kill();
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), ReportBound), "the stream stops within 1 s");
        Assert.That(Assert.Throws<RtAudioException>(audio.CloseStream)!.ErrorType, Is.EqualTo(RtAudioErrorType.DeviceDisconnect));
        Assert.That(audio.IsStreamOpen(), Is.False, "closed all the same");
        Assert.DoesNotThrow(audio.CloseStream, "a second close has nothing to report");
    }

    [Test]
    public void NoServerNamesTheApiAndWhatToStart()
    {
        _server.Kill();
        using var audio = Streams.OpenJack();
        var error = Assert.Throws<RtAudioException>(() =>
            audio.OpenBlockingStream(new StreamParameters(0, 2), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period));
        Assert.That(error!.ErrorType, Is.EqualTo(RtAudioErrorType.NoDevicesFound));
        Assert.That(error.Message, Does.Contain("Jack").And.Contain("jackd"));
        var noDefault = Assert.Throws<RtAudioException>(() => audio.GetDefaultOutputDeviceInfo());
        Assert.That(noDefault!.ErrorType, Is.EqualTo(RtAudioErrorType.NoDevicesFound));
        Assert.That(noDefault.Message, Does.Contain(nameof(RtAudio.GetDefaultOutputDeviceInfo)).And.Contain("jackd"));
    }
}
