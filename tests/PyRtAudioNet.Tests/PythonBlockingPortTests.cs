using System.Runtime.CompilerServices;
using PyRtAudioNet.Interop;
using PyRtAudioNet.Python;

namespace PyRtAudioNet.Tests;

/// <summary>The C entries Python's ctypes calls for blocking write/read, called here the same way: through the function pointers.</summary>
public sealed unsafe class PythonBlockingPortTests
{
    private static long Write(PythonBlockingPort port, float[] samples, double timeoutSeconds = -1)
    {
        var entry = (delegate* unmanaged<nint, nint, int, double, long>)PythonBlockingPort.WriteEntry;
        fixed (float* data = samples)
            return entry((nint)port.Handle, (nint)data, samples.Length / 2, timeoutSeconds);
    }

    private static long Read(PythonBlockingPort port, float[] samples)
    {
        var entry = (delegate* unmanaged<nint, nint, int, double, long>)PythonBlockingPort.ReadEntry;
        fixed (float* data = samples)
            return entry((nint)port.Handle, (nint)data, samples.Length / 2, 1.0);
    }

    [Test]
    public void EntriesMoveFramesAndAFailureIsRethrownAsThrownOnce()
    {
        using var audio = Streams.OpenJack();
        audio.OpenBlockingStream(Streams.DefaultOutput(audio), Streams.DefaultInput(audio), RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            new BlockingOptions { RingFrames = 256 }, Streams.Named("port", StreamFlags.JackDontConnect));
        var port = new PythonBlockingPort(audio);

        Assert.That(Write(port, new float[2 * 100]), Is.Zero, "no ring underflow yet");
        Assert.That(audio.GetWriteAvailable(), Is.EqualTo(156u));

        Assert.That(Write(port, new float[2 * 200], timeoutSeconds: 0), Is.EqualTo(PythonBlockingPort.Failed), "more than fits");
        var timedOut = Assert.Throws<TimeoutException>(PythonBlockingPort.RethrowLastError);
        Assert.That(timedOut!.Message, Does.Contain("156 of 200 frames written"));
        Assert.Throws<InvalidOperationException>(PythonBlockingPort.RethrowLastError, "each failure is raised once");
        Assert.That(Write(port, new float[2 * 8]), Is.EqualTo(PythonBlockingPort.Failed), "stopped with a full ring");
        Assert.That(Assert.Throws<RtAudioException>(PythonBlockingPort.RethrowLastError)!.Message, Does.Contain("not running"));

        audio.StartStream();
        var recorded = new float[2 * 64];
        Assert.That(Read(port, recorded), Is.Not.EqualTo(PythonBlockingPort.Failed), "a period of input arrives");
        Assert.That(audio.GetStreamStatistics().FramesRead, Is.GreaterThanOrEqualTo(64ul), "the audio thread put it into the input ring");
        audio.Dispose();
        Assert.That(Write(port, new float[2]), Is.EqualTo(PythonBlockingPort.Failed));
        Assert.Throws<ObjectDisposedException>(PythonBlockingPort.RethrowLastError);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (PythonBlockingPort Port, WeakReference Audio) PortOfADroppedStream()
    {
        var audio = Streams.OpenJack();
        audio.OpenBlockingStream(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period);
        return (new PythonBlockingPort(audio), new WeakReference(audio));
    }

    [Test]
    public void APortDoesNotKeepItsStreamAlive()
    {
        int live = NativeMethods.LiveInstances();
        var (port, audio) = PortOfADroppedStream();
        for (int i = 0; i < 3 && (audio.IsAlive || NativeMethods.LiveInstances() != live); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That((audio.IsAlive, NativeMethods.LiveInstances()), Is.EqualTo((false, live)), "the finalizer closed the dropped stream");
        Assert.That(Write(port, new float[2]), Is.EqualTo(PythonBlockingPort.Failed));
        Assert.Throws<ObjectDisposedException>(PythonBlockingPort.RethrowLastError);
        GC.KeepAlive(port);
    }
}
