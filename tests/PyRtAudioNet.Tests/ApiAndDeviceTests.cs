namespace PyRtAudioNet.Tests;

public sealed class ApiAndDeviceTests
{
    [Test]
    public void CompiledApisIncludeJack()
    {
        Assert.That(RtAudio.GetCompiledApi(), Does.Contain(RtAudioApi.UnixJack));
        Assert.That(RtAudio.GetApiName(RtAudioApi.UnixJack), Is.EqualTo("jack"));
        Assert.That(RtAudio.GetApiDisplayName(RtAudioApi.UnixJack), Is.EqualTo("Jack"));
        Assert.That(RtAudio.GetApiDisplayName((RtAudioApi)99), Is.EqualTo("Unknown"), "as RtAudio names an API it does not know");
        Assert.That(RtAudio.GetApiName((RtAudioApi)99), Is.Empty, "as RtAudio");
        Assert.That(RtAudio.GetCompiledApiByName("jack"), Is.EqualTo(RtAudioApi.UnixJack));
        Assert.That(RtAudio.GetCompiledApiByName("no-such-api"), Is.EqualTo(RtAudioApi.Unspecified));
    }

    [Test]
    public void VersionIsRtAudios() => Assert.That(RtAudio.GetVersion(), Does.Match(@"^[56]\.\d+\.\d+"));

    [Test]
    public void JackInstanceReportsItsApi()
    {
        using var audio = Streams.OpenJack();
        Assert.That(audio.GetCurrentApi(), Is.EqualTo(RtAudioApi.UnixJack));
    }

    [Test]
    public void JackServerDevicesAreListedWithSensibleCapabilities()
    {
        using var audio = Streams.OpenJack();
        var devices = audio.GetDevices();
        Assert.That(audio.GetDeviceCount(), Is.EqualTo((uint)devices.Count).And.GreaterThan(0u));
        var system = devices.Single(d => d.Name == "system");
        Assert.Multiple(() =>
        {
            Assert.That(system.OutputChannels, Is.EqualTo(2u));
            Assert.That(system.InputChannels, Is.EqualTo(2u));
            Assert.That(system.DuplexChannels, Is.EqualTo(2u));
            Assert.That(system.SampleRates, Is.EqualTo(new[] { (uint)JackServerFixture.SampleRate }));
            Assert.That(system.PreferredSampleRate, Is.EqualTo((uint)JackServerFixture.SampleRate));
            Assert.That(system.NativeFormats, Is.EqualTo(RtAudioFormat.Float32));
        });
    }

    [Test]
    public void DefaultDevicesAreFlaggedAndUsable()
    {
        using var audio = Streams.OpenJack();
        var output = audio.GetDeviceInfo(audio.GetDefaultOutputDevice());
        var input = audio.GetDeviceInfo(audio.GetDefaultInputDevice());
        Assert.Multiple(() =>
        {
            Assert.That(output.IsDefaultOutput, Is.True);
            Assert.That(output.OutputChannels, Is.GreaterThan(0u));
            Assert.That(input.IsDefaultInput, Is.True);
            Assert.That(input.InputChannels, Is.GreaterThan(0u));
        });
    }

    [Test]
    public void DefaultDeviceInfoIsTheDefaultIdsInfo()
    {
        using var audio = Streams.OpenJack();
        var output = audio.GetDefaultOutputDeviceInfo();
        var input = audio.GetDefaultInputDeviceInfo();
        var outputById = audio.GetDeviceInfo(audio.GetDefaultOutputDevice());
        var inputById = audio.GetDeviceInfo(audio.GetDefaultInputDevice());
        Assert.Multiple(() =>
        {
            Assert.That(output.Id, Is.EqualTo(outputById.Id));
            Assert.That(output.Name, Is.EqualTo(outputById.Name));
            Assert.That(output.OutputChannels, Is.EqualTo(outputById.OutputChannels).And.GreaterThan(0u));
            Assert.That(output.IsDefaultOutput, Is.True);
            Assert.That(input.Id, Is.EqualTo(inputById.Id));
            Assert.That(input.InputChannels, Is.EqualTo(inputById.InputChannels).And.GreaterThan(0u));
            Assert.That(input.IsDefaultInput, Is.True);
        });
    }

    [Test]
    public void ServerHoldsNestAndEachEndsOnce()
    {
        var audio = Streams.OpenJack();
        var outer = audio.HoldServer();
        var inner = audio.HoldServer();
        Assert.That(audio.GetDefaultOutputDeviceInfo().IsDefaultOutput, Is.True);
        inner.Dispose();
        inner.Dispose(); // ends nothing more: the outer hold stays
        Assert.That(audio.GetDevices(), Is.Not.Empty);
        Assert.That(outer.Dispose, Throws.Nothing, "the outer hold was left to end: the inner one ended once");
        Assert.That(audio.ReleaseServer, Throws.TypeOf<RtAudioException>().With.Property(nameof(RtAudioException.ErrorType)).EqualTo(RtAudioErrorType.InvalidUse),
            "no hold is left: the outer one ended once too");
        var pending = audio.HoldServer();
        audio.Dispose();
        Assert.That(pending.Dispose, Throws.Nothing, "Dispose ended the hold already: ending it again is not an error");
    }

    /// <summary>
    /// While another thread opens and closes a stream over and over (a JACK client, listed as a
    /// device, coming and going), every listing succeeds and holds the devices that existed.
    /// </summary>
    [Test]
    public void DevicesListedWhileAStreamComesAndGoesAreTheOnesThatExist()
    {
        var options = Streams.Named("churn", StreamFlags.JackDontConnect);
        int listings = 0;
        var churn = Task.Run(() =>
        {
            using var other = Streams.OpenJack();
            for (int i = 0; i < 30; i++)
            {
                other.OpenStream<float>(Streams.DefaultOutput(other, 1), null, RtAudioFormat.Float32, JackServerFixture.SampleRate,
                    JackServerFixture.Period, (_, _, _, _, _) => CallbackResult.Continue, options);
                other.CloseStream();
            }
        });
        try
        {
            using var audio = Streams.OpenJack();
            while (!churn.IsCompleted)
            {
                var names = audio.GetDevices().Select(d => d.Name).ToList();
                Assert.That(names, Does.Contain("system").And.Unique, string.Join(", ", names));
                Assert.That(names.Except(["system", options.StreamName!]), Is.Empty, string.Join(", ", names));
                listings++;
            }
        }
        finally
        {
            churn.Wait(); // a failed listing leaves no stream coming and going under the next test
        }
        Assert.That(listings, Is.GreaterThan(0));
    }

    [Test]
    public void DeviceIdsMatchDeviceInfoIds()
    {
        using var audio = Streams.OpenJack();
        foreach (uint id in audio.GetDeviceIds())
            Assert.That(audio.GetDeviceInfo(id).Id, Is.EqualTo(id));
    }
}
