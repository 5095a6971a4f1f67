namespace PyRtAudioNet.Tests;

/// <summary>What FirstChannel and JackDontConnect change on the JACK server: which system ports a stream's ports are connected to.</summary>
public sealed class StreamOptionTests
{
    [TestCase(0u, "system:playback_1", "system:capture_1")]
    [TestCase(1u, "system:playback_2", "system:capture_2")]
    public void FirstChannelPicksTheSystemPortsAStreamConnectsTo(uint firstChannel, string playback, string capture)
    {
        using var audio = Streams.OpenJack();
        var options = Streams.Named("first");
        uint device = audio.GetDefaultOutputDevice();
        audio.OpenStream<float>(new StreamParameters(device, 1, firstChannel), new StreamParameters(device, 1, firstChannel), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue, options);
        audio.StartStream(); // RtAudio connects the ports when the stream starts
        Assert.Multiple(() =>
        {
            Assert.That(JackServerFixture.Connections($"{options.StreamName}:outport 0"), Is.EqualTo(new[] { playback }));
            Assert.That(JackServerFixture.Connections($"{options.StreamName}:inport 0"), Is.EqualTo(new[] { capture }));
        });
    }

    [Test]
    public void JackDontConnectLeavesEveryPortUnconnected()
    {
        using var audio = Streams.OpenJack();
        var options = Streams.Named("alone", StreamFlags.JackDontConnect);
        uint device = audio.GetDefaultOutputDevice();
        audio.OpenStream<float>(new StreamParameters(device, 2), new StreamParameters(device, 2), RtAudioFormat.Float32,
            JackServerFixture.SampleRate, JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue, options);
        audio.StartStream();
        var ports = JackServerFixture.Server.ListPorts().Where(p => p.StartsWith(options.StreamName + ":", StringComparison.Ordinal)).ToList();
        Assert.That(ports, Has.Count.EqualTo(4));
        Assert.That(ports.SelectMany(JackServerFixture.Connections), Is.Empty);
    }
}
