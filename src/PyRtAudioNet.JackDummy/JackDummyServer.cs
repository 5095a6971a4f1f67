using System.Diagnostics;
using System.Globalization;

namespace PyRtAudioNet.JackDummy;

/// <summary>
/// A private JACK server on the dummy driver (Debian <c>jackd2</c>): a real, clocked audio
/// thread for machines without a sound card (tests, demos, CI). Started with a unique name so
/// it never meets another server; <see cref="Dispose"/> stops it. What jackd prints goes to a
/// file in the temporary directory, deleted by <see cref="Dispose"/>: never to this process's
/// memory, as a server with many clients logs every late cycle.
/// Threading: any thread; not for concurrent use of one instance.
/// </summary>
public sealed class JackDummyServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private const int CommandNotFound = 127;
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
    /// Starts <c>jackd -n NAME --no-realtime -d dummy -r RATE -p PERIOD</c> and waits until its
    /// system ports exist.
    /// </summary>
    /// <exception cref="InvalidOperationException">jackd is missing or did not come up; the message says why.</exception>
    public static JackDummyServer Start(string? name = null, int sampleRate = 48_000, int period = 64, int channels = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        name ??= $"prtn-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
        string logPath = Path.Combine(Path.GetTempPath(), name + ".log");
        // The shell sends jackd's output to the log file and becomes jackd (same process id).
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.Environment["JACKD_LOG"] = logPath;
        // A generous client timeout: on a loaded machine clients still register (the default 500 ms fails there).
        foreach (var argument in new[] { "-c", "exec \"$0\" \"$@\" > \"$JACKD_LOG\" 2>&1", "jackd", "-n", name, "--no-realtime", "-t", "10000", "-d", "dummy", "-r", Invariant(sampleRate), "-p", Invariant(period), "-C", Invariant(channels), "-P", Invariant(channels) })
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
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                int exitCode = _process.ExitCode;
                string log = Log;
                Dispose();
                throw new InvalidOperationException(exitCode == CommandNotFound
                    ? "jackd was not found: install Debian's jackd2 (apt-get install jackd2)"
                    : $"jackd exited with code {exitCode}: {log}");
            }
            if (TryListPorts().Any(p => p.StartsWith("system:playback_", StringComparison.Ordinal)))
                return;
            Thread.Sleep(50);
        }
        string lastLog = Log;
        Dispose();
        throw new InvalidOperationException($"jackd '{Name}' did not come up within {StartTimeout.TotalSeconds} s: {lastLog}");
    }

    private string[] TryListPorts()
    {
        try
        {
            return [.. ListPorts()];
        }
        catch (InvalidOperationException)
        {
            return [];
        }
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
