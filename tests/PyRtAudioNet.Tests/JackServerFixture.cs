using PyRtAudioNet.Jack;

namespace PyRtAudioNet.Tests;

/// <summary>One private JACK dummy server (48 kHz, 64-frame periods) for the whole test run.</summary>
[SetUpFixture]
public sealed class JackServerFixture
{
    public const int SampleRate = 48_000;
    public const int Period = 64;

    public static JackDummyServer Server { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        Server = JackDummyServer.Start(sampleRate: SampleRate, period: Period);
        Server.UseForThisProcess();
        TestContext.Progress.WriteLine($"JACK dummy server '{Server.Name}' is up: {string.Join(", ", Server.ListPorts())}");
    }

    [OneTimeTearDown]
    public void StopServer() => Server.Dispose();
}
