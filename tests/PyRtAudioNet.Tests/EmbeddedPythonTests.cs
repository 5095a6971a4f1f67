using PyRtAudioNet.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Tests;

/// <summary>
/// The Python scenarios (tests/python/scenarios) run in Python embedded in this .NET process
/// (pythonnet's PythonEngine over libpython3.11), plus what only a .NET host can do: wait on a
/// stream while holding the GIL. The "exit" of this interpreter is PythonEngine.Shutdown with
/// a stream still running, the last test. As a scenario run by pytest, each test is judged by
/// what it prints: whatever reaches Python's sys.stderr (a ResourceWarning, "Exception
/// ignored") or .NET's Console.Error (a "pyrtaudionet:" report) fails it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EmbeddedPythonTests
{
    private const int Last = 1; // after the others (Order 0)
    private static readonly string Scenarios = Path.Combine(RepoRoot(), "tests", "python", "scenarios");
    private nint _threadState;
    private int _liveBefore;

    [OneTimeSetUp]
    public void StartPython()
    {
        _liveBefore = NativeMethods.LiveInstances();
        Runtime.PythonDLL = "libpython3.11.so.1.0";
        PythonEngine.Initialize();
        using (Py.GIL())
        {
            PythonEngine.Exec($"import clr, sys\nsys.path.insert(0, {Quote(Scenarios)})");
        }
        _threadState = PythonEngine.BeginAllowThreads();
    }

    [Test]
    [Order(Last)]
    public void ShutDownPythonWithAStreamRunning()
    {
        string client = "embedded-exit";
        Judged(() =>
        {
            using (Py.GIL())
            {
                using var scope = Py.CreateScope();
                scope.Exec($$"""
                    from _common import open_output, wait_until, StreamOptions
                    options = StreamOptions()
                    options.StreamName = "{{client}}"
                    calls = [0]
                    def callback(outdata, indata, frames, time, status):
                        calls[0] += 1
                    running = open_output(callback, options=options)
                    running.StartStream()
                    assert wait_until(lambda: calls[0] > 20, 5)
                    import builtins
                    builtins.kept_running_stream = running
                    """);
            }
        });
        Assert.That(JackServerFixture.Server.ListPorts(), Has.Some.StartsWith(client + ":"));
        var stderr = new StringWriter();
        var console = Console.Error;
        Console.SetError(stderr);
        try
        {
            PythonEngine.EndAllowThreads(_threadState);
            PythonEngine.Shutdown();
        }
        finally
        {
            Console.SetError(console);
        }
        Assert.Multiple(() =>
        {
            Assert.That(stderr.ToString(), Is.Empty, ".NET's stderr during the shutdown");
            Assert.That(JackServerFixture.Server.ListPorts(), Has.None.StartsWith(client + ":"), "the running stream was closed at shutdown");
            Assert.That(PythonEngine.IsInitialized, Is.False);
        });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(NativeMethods.LiveInstances(), Is.EqualTo(_liveBefore), "native instances left after shutdown");
    }

    /// <summary>
    /// Runs <paramref name="body"/> (which takes the GIL itself) with Python's sys.stderr and .NET's
    /// Console.Error captured, then collects Python's garbage (where unraisable errors and
    /// ResourceWarnings of freed objects appear), and fails if either got anything.
    /// </summary>
    private static void Judged(Action body)
    {
        var dotnet = new StringWriter();
        var console = Console.Error;
        Console.SetError(dotnet);
        using (Py.GIL())
            PythonEngine.Exec("import io, sys\nsys.stderr = io.StringIO()");
        string python;
        try
        {
            body();
        }
        finally
        {
            using (Py.GIL())
            {
                using var scope = Py.CreateScope();
                scope.Exec("""
                    import gc, sys
                    gc.collect()
                    captured = sys.stderr.getvalue()
                    sys.stderr = sys.__stderr__
                    """);
                python = scope.Get<string>("captured");
            }
            Console.SetError(console);
        }
        Assert.Multiple(() =>
        {
            Assert.That(python, Is.Empty, "Python's stderr");
            Assert.That(dotnet.ToString(), Is.Empty, ".NET's stderr");
        });
    }

    [Order(0)]
    [TestCase("seed")]
    [TestCase("callback_stream")]
    [TestCase("loopback")]
    [TestCase("callback_raises")]
    [TestCase("stop_threads")]
    [TestCase("kept_buffers")]
    [TestCase("drop_running")]
    public void ScenarioPassesInEmbeddedPython(string scenario)
    {
        string path = Path.Combine(Scenarios, scenario + ".py");
        Judged(() =>
        {
            using (Py.GIL())
            {
                using var scope = Py.CreateScope();
                scope.Set("__file__", path);
                scope.Set("__name__", "__main__");
                scope.Exec(File.ReadAllText(path));
            }
        });
    }

    [Test]
    [Order(0)]
    public void StoppingWhileHoldingTheGilDoesNotDeadlock()
    {
        var stopped = Task.Run(() =>
        {
            using (Py.GIL())
            {
                using var scope = Py.CreateScope();
                scope.Exec("""
                    import time
                    from _common import open_output, wait_until
                    calls = [0]
                    def callback(outdata, indata, frames, stream_time, status):
                        calls[0] += 1
                        time.sleep(0.002)
                    audio = open_output(callback)
                    audio.StartStream()
                    assert wait_until(lambda: calls[0] > 10, 5)
                    """);
                var audio = scope.Get("audio").As<RtAudio>();
                // This thread holds the GIL; the audio thread may be waiting for it right now.
                audio.StopStream();
                audio.CloseStream();
                audio.Dispose();
            }
        });
        Assert.That(stopped.Wait(TimeSpan.FromSeconds(10)), Is.True, "StopStream/CloseStream while holding the GIL returned");
        stopped.GetAwaiter().GetResult();
    }

    [Test]
    [Order(0)]
    public void WaitingForTheObjectLockWhileHoldingTheGilDoesNotDeadlock()
    {
        RtAudio audio;
        using (Py.GIL())
        {
            using var scope = Py.CreateScope();
            scope.Exec("""
                import time
                from _common import open_output
                def callback(outdata, indata, frames, stream_time, status):
                    time.sleep(0.003)
                audio = open_output(callback)
                """);
            audio = scope.Get("audio").As<RtAudio>();
        }
        using var done = new CancellationTokenSource();
        using var querying = new ManualResetEventSlim();
        int queries = 0;
        // One thread queries the object while holding the GIL; another starts and stops it
        // (holding the object lock while it waits for the audio thread, which waits for the GIL).
        var querier = Task.Factory.StartNew(
            () =>
            {
                while (!done.IsCancellationRequested)
                {
                    using (Py.GIL())
                    {
                        audio.IsStreamRunning();
                        Interlocked.Increment(ref queries);
                    }
                    querying.Set();
                }
            },
            TaskCreationOptions.LongRunning);
        var cycler = Task.Factory.StartNew(
            () =>
            {
                querying.Wait();
                for (int i = 0; i < 20; i++)
                {
                    audio.StartStream();
                    Thread.Sleep(20);
                    audio.StopStream();
                }
                done.Cancel();
            },
            TaskCreationOptions.LongRunning);
        Assert.That(Task.WaitAll([cycler, querier], TimeSpan.FromSeconds(20)), Is.True, "no deadlock between the object lock and the GIL");
        Assert.That(Volatile.Read(ref queries), Is.GreaterThan(20), "the queries ran alongside the start/stop cycles");
        audio.Dispose();
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PyRtAudioNet.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("PyRtAudioNet.sln not found above " + AppContext.BaseDirectory);
    }
}
