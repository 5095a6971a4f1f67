namespace PyRtAudioNet.Tests;

/// <summary>RtAudio's warnings: the calls that give them, and where they go (a handler, stderr, nowhere).</summary>
[NonParallelizable] // swaps Console.Error
public sealed class WarningTests
{
    private static StreamParameters Output(RtAudio audio) => Streams.DefaultOutput(audio);

    private static void OpenSilent(RtAudio audio, AudioCallback<float>? callback = null) =>
        audio.OpenStream(Output(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period,
            callback ?? ((_, _, _, _, _) => CallbackResult.Continue));

    /// <summary>What <paramref name="calls"/> printed on stderr.</summary>
    private static string Stderr(Action calls)
    {
        var saved = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            calls();
        }
        finally
        {
            Console.SetError(saved);
        }
        return captured.ToString();
    }

    [Test]
    public void RtAudioWarningsAreDeliveredNotThrown()
    {
        using var audio = Streams.OpenJack();
        var warnings = new List<string>();
        audio.Warning += (_, e) => warnings.Add(e.Message);
        OpenSilent(audio);

        Assert.DoesNotThrow(audio.StopStream, "stopping a stopped stream is only a warning");
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("already stopped"));
    }

    [Test]
    public void WithoutAHandlerWarningsArePrintedUntilShowWarningsTurnsThemOff()
    {
        using var audio = Streams.OpenJack();
        OpenSilent(audio);
        Assert.That(Stderr(audio.StopStream), Does.Contain("already stopped"), "printed by default, as RtAudio does");
        audio.ShowWarnings(false);
        Assert.That(Stderr(audio.StopStream), Is.Empty);
        audio.ShowWarnings();
        Assert.That(Stderr(audio.AbortStream), Does.Contain("already stopped"));
        audio.Warning += (_, _) => { };
        Assert.That(Stderr(audio.StopStream), Is.Empty, "a handler takes the warning instead");
    }

    [Test]
    public void ClosingWithNoStreamOpenWarnsButDisposingDoesNot()
    {
        using var audio = Streams.OpenJack();
        var warnings = new List<string>();
        audio.Warning += (_, e) => warnings.Add(e.Message);
        audio.CloseStream();
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("no open stream to close"));
        OpenSilent(audio);
        audio.CloseStream();
        Assert.That(warnings, Has.Count.EqualTo(1), "closing an open stream is not a warning");
        audio.Dispose();
        Assert.That(warnings, Has.Count.EqualTo(1), "as RtAudio's destructor, Dispose closes nothing quietly");

        var unheard = Streams.OpenJack();
        Assert.That(Stderr(unheard.Dispose), Is.Empty, "nothing printed either");
    }

    [TestCase(CallbackResult.Stop, false)]
    [TestCase(CallbackResult.Stop, true)]
    [TestCase(CallbackResult.Abort, false)]
    [TestCase(CallbackResult.Abort, true)]
    public void StoppingAStreamItsCallbackStoppedWarnsItIsAlreadyStopped(CallbackResult result, bool abort)
    {
        using var audio = Streams.OpenJack();
        var warnings = new List<string>();
        audio.Warning += (_, e) => warnings.Add(e.Message);
        int calls = 0;
        OpenSilent(audio, (_, _, _, _, _) => ++calls < 10 ? CallbackResult.Continue : result);
        audio.StartStream();
        Assert.That(Streams.WaitUntil(() => !audio.IsStreamRunning(), TimeSpan.FromSeconds(5)), Is.True);

        if (abort)
            audio.AbortStream();
        else
            audio.StopStream();
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain(abort ? "abortStream" : "stopStream").And.Contain("already stopped"));

        audio.StartStream(); // restarting a stream its callback stopped is no warning
        Assert.That(warnings, Has.Count.EqualTo(1));
    }
}
