namespace PyRtAudioNet.Tests;

public sealed class WarningTests
{
    [Test]
    public void RtAudioWarningsAreDeliveredNotThrown()
    {
        using var audio = Streams.OpenJack();
        var warnings = new List<string>();
        audio.Warning += (_, e) => warnings.Add(e.Message);
        audio.OpenStream<float>(Streams.DefaultOutput(audio), null, RtAudioFormat.Float32, JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue);

        Assert.DoesNotThrow(audio.StopStream, "stopping a stopped stream is only a warning");
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("already stopped"));
    }
}
