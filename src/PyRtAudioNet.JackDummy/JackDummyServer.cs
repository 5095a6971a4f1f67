using System.Diagnostics;
using System.Globalization;
using PyRtAudioNet.JackDummy.Interop;

namespace PyRtAudioNet.JackDummy;

/// <summary>
/// A private JACK server on the dummy driver (Debian <c>jackd2</c>): a real, clocked audio
/// thread for machines without a sound card (tests, demos, CI). Started with a unique name so
/// it never meets another server, by the project's one launcher (<c>jack-dummy-server</c>,
/// shipped next to this assembly); <see cref="Dispose"/> stops it. What jackd prints goes to a
/// file in the temporary directory, deleted by <see cref="Dispose"/>: never to this process's
/// memory, as a server with many clients logs every late cycle.
/// Threading: any thread; not for concurrent use of one instance.
/// </summary>
public sealed class JackDummyServer : IDisposable
{
    private const int CommandNotFound = 127;
    private static readonly string Launcher =
        Path.Combine(Path.GetDirectoryName(typeof(JackDummyServer).Assembly.Location) ?? "", "jack-dummy-server");
    private readonly Process _process;
    private readonly string _logPath;
    private bool _killed;

    private JackDummyServer(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        _logPath = logPath;
    }

    /// <summary>The server name clients select with <c>JACK_DEFAULT_SERVER</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the server process is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>What jackd printed so far.</summary>
    public string Log => File.Exists(_logPath) ? File.ReadAllText(_logPath) : "";

    /// <summary>
    /// Starts <c>jackd -n NAME --no-realtime -d dummy -r RATE -p PERIOD</c> (with
    /// <paramref name="channels"/> capture and playback ports) and waits until its system ports exist.
    /// </summary>
    /// <exception cref="InvalidOperationException">jackd is missing or did not come up; the message says why.</exception>
    public static JackDummyServer Start(string? name = null, int sampleRate = 48_000, int period = 64, int channels = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        name ??= $"prtn-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
        string logPath = Path.Combine(Path.GetTempPath(), name + ".log");
        // The shell sends the output to the log file and becomes the launcher, which becomes
        // jackd: the process is the server's.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.Environment["JACKD_LOG"] = logPath;
        foreach (var argument in new[] { "-c", "exec /bin/sh \"$0\" \"$@\" > \"$JACKD_LOG\" 2>&1", Launcher, "run", name, Invariant(sampleRate), Invariant(period), Invariant(channels) })
            info.ArgumentList.Add(argument);
        var server = new JackDummyServer(name, Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start"), logPath);
        server.WaitUntilReady();
        return server;
    }

    /// <summary>
    /// Makes JACK clients of this process (RtAudio's JACK API) use this server, by setting
    /// <c>JACK_DEFAULT_SERVER</c> in the native environment. Call before creating the clients.
    /// </summary>
    public void UseForThisProcess() => NativeEnvironment.Set("JACK_DEFAULT_SERVER", Name);

    /// <summary>The server's port names (<c>jack_lsp</c>).</summary>
    public IReadOnlyList<string> ListPorts() =>
        RunClientTool("jack_lsp").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Connects two ports (<c>jack_connect</c>).</summary>
    public void Connect(string sourcePort, string destinationPort) => RunClientTool("jack_connect", sourcePort, destinationPort);

    /// <summary>
    /// Kills the server at once (SIGKILL), as a crash would, and waits for it to be gone. A
    /// killed jackd keeps its slot in JACK's server registry (8 slots per machine) until a
    /// server of the same name starts: <see cref="Dispose"/> therefore starts and stops one.
    /// </summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _killed = true;
        }
        _process.WaitForExit();
    }

    /// <summary>Stops the server (SIGTERM, then SIGKILL after 5 s); after <see cref="Kill"/>, frees its registry slot. Idempotent.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            NativeEnvironment.Terminate(_process.Id);
            if (!_process.WaitForExit(5000))
                _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        File.Delete(_logPath);
        if (_killed)
        {
            _killed = false;
            Start(Name).Dispose(); // a server of the same name reclaims the stale slot
        }
    }

    private void WaitUntilReady()
    {
        var wait = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { Launcher, "wait", Name, Invariant(_process.Id) })
            wait.ArgumentList.Add(argument);
        using var waiting = Process.Start(wait) ?? throw new InvalidOperationException("/bin/sh did not start");
        string why = waiting.StandardError.ReadToEnd().Trim();
        waiting.WaitForExit();
        if (waiting.ExitCode == 0)
            return;
        _process.WaitForExit(1000);
        bool notFound = _process.HasExited && _process.ExitCode == CommandNotFound;
        string log = Log;
        Dispose();
        throw new InvalidOperationException(notFound ? log.Trim() : $"{why}: {log}");
    }

    private string RunClientTool(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["JACK_DEFAULT_SERVER"] = Name;
        info.Environment["JACK_NO_START_SERVER"] = "1";
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}) on server '{Name}': {errors.Result.Trim()}");
        return output;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
