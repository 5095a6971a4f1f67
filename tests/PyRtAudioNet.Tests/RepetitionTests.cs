using System.Runtime.CompilerServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet.Tests;

/// <summary>
/// Each scenario of the .NET API runs after a warm-up N times, then on to 10·N in all, and what
/// the process holds must not grow from the N-th to the 10·N-th iteration (a leak grows with the
/// iterations; what the first ones leave in caches, the JIT and the thread pool does not).
/// Counts that must come back exactly: file descriptors, OS threads (the thread pool's workers
/// excluded: the pool sizes itself), native RtAudio instances, the server's non-system JACK
/// ports. The managed heap (what a full, compacting collection finds alive) may move by
/// <see cref="LiveBytesBound"/>.
/// </summary>
public sealed class RepetitionTests
{
    // Enough for the exact counts; and 9·N disposed RtAudio objects kept (0.7 KB each) exceed the heap bound.
    private const int N = 4;

    // .NET's tiered JIT recompiles a method after its 30th call, and the optimized code loads
    // what it references (an assembly: descriptors, once): the warm-up outlasts that.
    private const int WarmUp = 40;

    // Above what runs of these scenarios with nothing kept showed (up to 1 KB), below what one
    // disposed RtAudio kept per iteration (0.7 KB) adds over 9·N.
    private const long LiveBytesBound = 8 * 1024;

    private static int _calls;

    private static CallbackResult Count(Span<float> output, ReadOnlySpan<float> input, int frames, double time, StreamStatus status)
    {
        Interlocked.Increment(ref _calls);
        return CallbackResult.Continue;
    }

    private static void WaitForCallbacks() =>
        Assert.That(Streams.WaitUntil(() => Volatile.Read(ref _calls) > 2, TimeSpan.FromSeconds(5)), Is.True, "the stream runs");

    private static RtAudio OpenCounting()
    {
        var audio = Streams.OpenJack();
        Volatile.Write(ref _calls, 0);
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, Count);
        return audio;
    }

    private static void CallbackStream()
    {
        using var audio = OpenCounting();
        audio.StartStream();
        WaitForCallbacks();
        audio.StopStream();
        audio.CloseStream();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DroppedWithoutDispose()
    {
        var audio = OpenCounting();
        audio.StartStream();
        WaitForCallbacks();
    }

    private static void CallbackThrows()
    {
        using var audio = Streams.OpenJack();
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (_, _, _, _, _) => throw new InvalidOperationException("thrown by the callback"));
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(5)), Is.True, "the throw stopped the stream");
        Assert.Throws<InvalidOperationException>(audio.CloseStream);
    }

    private static readonly float[] Period = new float[JackServerFixture.Period * 2];

    private static void BlockingStream()
    {
        using var audio = Streams.OpenJack();
        audio.OpenBlockingStream(Streams.DefaultOutput(audio), Streams.DefaultInput(audio), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period);
        audio.StartStream();
        for (int i = 0; i < 4; i++)
        {
            audio.Write<float>(Period);
            audio.Read<float>(Period);
        }
        audio.CloseStream();
    }

    private static void DeviceQueries()
    {
        using var audio = Streams.OpenJack();
        Assert.That(audio.GetDevices(), Is.Not.Empty);
        Assert.That(audio.GetDefaultOutputDeviceInfo().OutputChannels, Is.GreaterThan(0));
        Assert.That(audio.GetDeviceIds(), Is.Not.Empty);
    }

    private static void RefusedOpens()
    {
        using var jack = Streams.OpenJack();
        var tooMany = Streams.DefaultOutput(jack, channels: 3);
        Assert.Throws<RtAudioException>(() => jack.OpenStream<float>(tooMany, null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, Count));
        Assert.Throws<RtAudioException>(() => jack.OpenBlockingStream(tooMany, null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period));
        Assert.Throws<RtAudioException>(() => jack.OpenStream<float>(Streams.DefaultOutput(jack), null, RtAudioFormat.Float32, 44_100, JackServerFixture.Period, Count));
        Assert.Throws<RtAudioException>(() => jack.OpenStream<float>(new StreamParameters(99, 2), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, Count));
    }

    private static IEnumerable<TestCaseData> Scenarios()
    {
        yield return new TestCaseData((Action)CallbackStream).SetName("CallbackStreamOpenedStartedStoppedClosed");
        yield return new TestCaseData((Action)DroppedWithoutDispose).SetName("CallbackStreamStartedAndDroppedWithoutDispose");
        yield return new TestCaseData((Action)CallbackThrows).SetName("CallbackThatThrows");
        yield return new TestCaseData((Action)BlockingStream).SetName("BlockingDuplexStream");
        yield return new TestCaseData((Action)DeviceQueries).SetName("DeviceQueries");
        yield return new TestCaseData((Action)RefusedOpens).SetName("RefusedOpens");
    }

    [TestCaseSource(nameof(Scenarios))]
    public void GrowsNothingTheProcessHolds(Action scenario)
    {
        for (int i = 0; i < WarmUp; i++)
            scenario();
        var baseline = Measure();
        for (int i = 0; i < N; i++)
            scenario();
        var atN = Measure();
        for (int i = 0; i < 9 * N; i++)
            scenario();
        var at10N = Measure();
        TestContext.Out.WriteLine($"after the warm-up: {baseline}\nafter {N}: {atN}\nafter {10 * N}: {at10N}");
        Assert.Multiple(() =>
        {
            Assert.That(at10N.Descriptors, Is.LessThanOrEqualTo(baseline.Descriptors), "file descriptors");
            Assert.That(at10N.Threads, Is.LessThanOrEqualTo(baseline.Threads), "threads");
            Assert.That(at10N.NativeInstances, Is.LessThanOrEqualTo(baseline.NativeInstances), "native RtAudio instances");
            Assert.That(at10N.JackPorts, Is.LessThanOrEqualTo(baseline.JackPorts), "JACK ports of clients");
            Assert.That(at10N.LiveBytes - atN.LiveBytes, Is.LessThanOrEqualTo(LiveBytesBound), "managed heap growth from N to 10·N");
        });
    }

    private sealed record Holdings(int Descriptors, int Threads, int NativeInstances, int JackPorts, long LiveBytes);

    private static Holdings Measure()
    {
        // Dropped instances are closed by their finalizers; each finalizer's release may queue more.
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long live = GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes;
        return new Holdings(
            Directory.GetFiles("/proc/self/fd").Length,
            Directory.GetDirectories("/proc/self/task").Count(task => !IsPoolWorker(task)),
            NativeMethods.LiveInstances(),
            JackServerFixture.Server.ListPorts().Count(port => !port.StartsWith("system:", StringComparison.Ordinal)),
            live);
    }

    private static bool IsPoolWorker(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET TP Worker";
        }
        catch (IOException)
        {
            return false; // ended meanwhile
        }
    }
}
