using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PyRtAudioNet.JackDummy;

namespace PyRtAudioNet.Tests;

/// <summary>One private JACK dummy server (48 kHz, 64-frame periods) for the whole test run.</summary>
[SetUpFixture]
public sealed class JackServerFixture
{
    public const int SampleRate = 48_000;
    public const int Period = 64;

    /// <summary>The period of the second server the re-blocking tests also run on.</summary>
    public const int OtherPeriod = 256;

    private static JackDummyServer? _other;

    public static JackDummyServer Server { get; private set; } = null!;

    /// <summary>
    /// Makes the server of <paramref name="period"/>-frame periods (the run's, or the one of
    /// <see cref="OtherPeriod"/>, started on first use and stopped with the run) this process's
    /// default until the result is disposed.
    /// </summary>
    public static DefaultServer UseServerOf(int period)
    {
        var server = period switch
        {
            Period => Server,
            OtherPeriod => _other ??= JackDummyServer.Start(sampleRate: SampleRate, period: OtherPeriod),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, $"no server of {period}-frame periods"),
        };
        server.UseForThisProcess();
        return new DefaultServer(server);
    }

    [OneTimeSetUp]
    public void StartServer()
    {
        Server = JackDummyServer.Start(sampleRate: SampleRate, period: Period);
        Server.UseForThisProcess();
        TestContext.Progress.WriteLine($"JACK dummy server '{Server.Name}' is up: {string.Join(", ", Server.ListPorts())}");
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _other?.Dispose();
        Server.Dispose();
    }

    /// <summary>JACK's latency of <paramref name="port"/> in frames ("playback" or "capture"), as <c>jack_lsp -l</c> prints it.</summary>
    public static int PortLatency(string port, string direction)
    {
        string listing = JackLsp("-l", port);
        var match = Regex.Match(listing, $@"port {direction} latency = \[ (\d+) (\d+) \]");
        Assert.That(match.Success && match.Groups[1].Value == match.Groups[2].Value, Is.True, listing);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The ports <paramref name="port"/> is connected to, as <c>jack_lsp -c</c> lists them.</summary>
    public static IReadOnlyList<string> Connections(string port) =>
        JackLsp("-c", port).Split('\n').Skip(1).Where(line => line.StartsWith(' ')).Select(line => line.Trim()).ToList();

    private static string JackLsp(string option, string port)
    {
        var start = new ProcessStartInfo("jack_lsp", [option, port]) { RedirectStandardOutput = true };
        start.Environment["JACK_DEFAULT_SERVER"] = Server.Name;
        using var process = Process.Start(start)!;
        string listing = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return listing;
    }
}

/// <summary>A server made this process's default by <see cref="JackServerFixture.UseServerOf"/>; disposing makes the run's the default again.</summary>
public sealed class DefaultServer(JackDummyServer server) : IDisposable
{
    public JackDummyServer Server => server;

    public void Dispose() => JackServerFixture.Server.UseForThisProcess();
}
