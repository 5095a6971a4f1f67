using System.Runtime.CompilerServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet.Tests;

public sealed class FinalizerTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Audio, string Client) StartAndDrop(Func<int> _)
    {
        var audio = Streams.OpenJack();
        var options = Streams.Named("dropped");
        int calls = 0;
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            (output, _, _, _, _) =>
            {
                calls++;
                output.Fill(0.5f);
                return CallbackResult.Continue;
            },
            options);
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => calls > 10, TimeSpan.FromSeconds(5)), Is.True);
        return (new WeakReference(audio), options.StreamName!);
    }

    [Test]
    public void StreamDroppedWithoutDisposeIsClosedByTheFinalizer()
    {
        int live = NativeMethods.LiveInstances();
        var (audio, client) = StartAndDrop(() => 0);
        Assert.That(JackServerFixture.Server.ListPorts(), Has.Some.StartsWith(client + ":"));

        for (int i = 0; i < 3 && (audio.IsAlive || NativeMethods.LiveInstances() != live); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Multiple(() =>
        {
            Assert.That(audio.IsAlive, Is.False);
            Assert.That(NativeMethods.LiveInstances(), Is.EqualTo(live), "native instances left");
            Assert.That(JackServerFixture.Server.ListPorts(), Has.None.StartsWith(client + ":"), "the stream's JACK client is gone");
        });
    }
}
