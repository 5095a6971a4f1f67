using PyRtAudioNet.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// Streams whose callback is a Python callable, for Python code using pythonnet:
/// <code>
/// from PyRtAudioNet.Python import PythonStreams
/// frames = PythonStreams.OpenStream(audio, output, None, RtAudioFormat.Float32, 48000, 64, callback)
/// </code>
/// The stream is then driven with the <see cref="RtAudio"/> methods. Streams still open when
/// pythonnet shuts down are closed first (see <see cref="Gil"/> for every threading rule).
/// Threading: any thread, GIL held or not.
/// </summary>
public static class PythonStreams
{
    private static readonly Lock Registry = new();
    private static readonly List<WeakReference<RtAudio>> OpenOwners = [];
    private static bool _shutdownHandlerAdded;
    private static readonly TimeSpan DroppedCloseBound = TimeSpan.FromSeconds(10);
    private static int _droppedPending;
    private static volatile bool _shutDown;

    /// <summary>Whether pythonnet is shutting down: audio threads no longer call Python.</summary>
    internal static bool IsShutDown => _shutDown;

    /// <summary>
    /// Opens a stream on <paramref name="audio"/> whose periods go to the Python callable
    /// <paramref name="callback"/>: <c>callback(output, input, frames, stream_time, status)</c>,
    /// called on the audio thread with the GIL held. <c>output</c>/<c>input</c> are memoryviews
    /// shaped (frames, channels) in the sample format (None for a missing direction), owned by
    /// the stream and reused every period; write the output in place. Return None or 0 to
    /// continue, 1 to stop, 2 to abort. An exception aborts the stream and is re-raised, with
    /// its traceback, by the next <c>StopStream</c>, <c>AbortStream</c>, <c>CloseStream</c> or <c>Dispose</c>.
    /// </summary>
    /// <returns>The period in frames the API granted.</returns>
    /// <exception cref="ArgumentException">A bad argument, named with its value; nothing native was touched.</exception>
    /// <exception cref="RtAudioException">RtAudio refused to open the stream.</exception>
    public static uint OpenStream(RtAudio audio, StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, PyObject callback, StreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Open(audio, output, input, format, sampleRate, bufferFrames, options, () =>
        {
            if (!callback.IsCallable())
                throw new ArgumentException($"callback must be callable, not {callback.Repr()}", nameof(callback));
            return new PythonViewCallbackTarget(callback);
        });
    }

    /// <summary>
    /// Opens a stream on <paramref name="audio"/> whose periods go to a callable with
    /// python-sounddevice's arguments (see <see cref="SoundDeviceCallback"/>): what the Python
    /// package's streams use. Otherwise as <see cref="OpenStream"/>.
    /// </summary>
    /// <returns>The period in frames the API granted.</returns>
    /// <exception cref="ArgumentException">A bad argument, named with its value; nothing native was touched.</exception>
    /// <exception cref="RtAudioException">RtAudio refused to open the stream.</exception>
    /// <exception cref="PythonException">The callback's <c>wrap</c> raised (the stream is closed again).</exception>
    public static uint OpenSoundDeviceStream(RtAudio audio, StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, SoundDeviceCallback callback, StreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Open(audio, output, input, format, sampleRate, bufferFrames, options, () => new SoundDeviceCallbackTarget(callback));
    }

    /// <summary>Opens a stream for the target <paramref name="create"/> makes (GIL held), then gives it its buffers.</summary>
    private static uint Open(RtAudio audio, StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, StreamOptions? options, Func<PythonCallbackTarget> create)
    {
        ArgumentNullException.ThrowIfNull(audio);
        BlockingWait.Install(Gil.ReleasedWhile, Gil.SignalRaised);
        StreamArguments.Validate(output, input, format, sampleRate, bufferFrames, options, callback: true);
        PythonCallbackTarget target;
        using (Py.GIL())
            target = create();
        uint frames;
        try
        {
            frames = audio.OpenStream(output, input, format, sampleRate, bufferFrames, target, options);
        }
        catch
        {
            target.OnClosed();
            throw;
        }
        try
        {
            using (Py.GIL())
                target.CreateBuffers(format, (int)frames, output, input, ((options?.Flags ?? StreamFlags.None) & StreamFlags.NonInterleaved) != 0);
        }
        catch
        {
            audio.CloseStream();
            throw;
        }
        Register(audio);
        return frames;
    }

    /// <summary>
    /// Opens a transfer stream (see <see cref="RtAudio.OpenTransferStream{T}"/>) over Python
    /// objects supporting the buffer protocol, C-contiguous: <paramref name="play"/> (read) and
    /// <paramref name="record"/> (written; None for a missing direction), in the stream's sample
    /// format, whole frames of as many samples as the map (or the direction's channels) has. The
    /// bridge holds an export of each until the stream is closed, so neither can be resized or
    /// freed under the audio thread (a bytearray refuses to resize, a numpy array with its
    /// reference check too).
    /// </summary>
    /// <returns>The period in frames the API granted.</returns>
    /// <exception cref="ArgumentException">A bad argument, named with its value; nothing native was touched.</exception>
    /// <exception cref="PythonException">An object without a suitable buffer (read-only to record into, not contiguous).</exception>
    /// <exception cref="RtAudioException">RtAudio refused to open the stream.</exception>
    public static uint OpenTransferStream(RtAudio audio, StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, PyObject? play, PyObject? record, TransferOptions? transfer = null, StreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        BlockingWait.Install(Gil.ReleasedWhile, Gil.SignalRaised);
        StreamArguments.Validate(output, input, format, sampleRate, bufferFrames, options, callback: false);
        TransferMemory memory;
        using (Py.GIL())
            memory = PythonTransfer.Export(format, output, play, transfer?.OutputMap, input, record, transfer?.InputMap);
        uint frames = audio.OpenTransferStream(output, input, format, sampleRate, bufferFrames, memory, transfer, options);
        Register(audio);
        return frames;
    }

    /// <summary>
    /// Calls the Python callable <paramref name="callable"/>() — on a thread-pool thread, GIL
    /// held — when the stream of <paramref name="audio"/> fails on its own (see
    /// <see cref="RtAudio.StreamFailed"/>); never once the interpreter is finalizing. What it
    /// raises is printed on stderr.
    /// </summary>
    public static void CallOnStreamFailed(RtAudio audio, PyObject callable)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(callable);
        using (Py.GIL())
        {
            if (!callable.IsCallable())
                throw new ArgumentException($"callable must be callable, not {callable.Repr()}", nameof(callable));
        }
        audio.StreamFailed += (_, _) =>
        {
            if (_shutDown || Gil.InterpreterIsFinalizing)
                return;
            using (Py.GIL())
            {
                try
                {
                    callable.Invoke().Dispose();
                }
                catch (PythonException e)
                {
                    Console.Error.WriteLine($"pyrtaudionet: the stream-failed handler raised:\n{e.Format()}");
                }
            }
        };
    }

    /// <summary>
    /// Disposes <paramref name="audio"/>, whose Python owner was collected without closing it, on
    /// a thread-pool thread: the collection may run on any thread, the audio thread among them,
    /// which must not wait for its own stream. What its callback raised is reported on stderr.
    /// <see cref="CloseAll"/> waits for these closes. Any thread, GIL held or not; returns at once.
    /// </summary>
    public static void CloseDropped(RtAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        Interlocked.Increment(ref _droppedPending);
        ThreadPool.UnsafeQueueUserWorkItem(static dropped =>
        {
            try
            {
                dropped.Dispose();
            }
#pragma warning disable CA1031 // Nobody is left to raise to: report instead.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"pyrtaudionet: a stream dropped without close() had failed: {e.Message}");
            }
            finally
            {
                Interlocked.Decrement(ref _droppedPending);
            }
        }, audio, preferLocal: false);
    }

    /// <summary>
    /// Waits until every close <see cref="CloseDropped"/> queued has ended; false if some were
    /// still running after <paramref name="timeout"/>. Any thread; the GIL, if held, is released
    /// while waiting (those closes take it to release their Python objects).
    /// </summary>
    public static bool WaitForDroppedCloses(TimeSpan timeout) =>
        Gil.ReleasedWhile(() => SpinWait.SpinUntil(() => Volatile.Read(ref _droppedPending) == 0, timeout) ? 1 : 0) == 1;

    /// <summary>
    /// Closes every stream opened through this class that is still open, after the
    /// closes <see cref="CloseDropped"/> queued; reports (on stderr) instead of throwing what those
    /// streams' callbacks raised. Returns how many it closed. Called at interpreter exit; safe to
    /// call any time.
    /// </summary>
    public static int CloseAll()
    {
        if (!WaitForDroppedCloses(DroppedCloseBound))
            Console.Error.WriteLine($"pyrtaudionet: {Volatile.Read(ref _droppedPending)} dropped streams were still closing after {DroppedCloseBound.TotalSeconds} s");
        RtAudio[] owners;
        using (Registry.EnterScope())
        {
            owners = [.. OpenOwners.Select(w => w.TryGetTarget(out var audio) ? audio : null).OfType<RtAudio>()];
            OpenOwners.Clear();
        }
        int closed = 0;
        foreach (var audio in owners)
        {
            try
            {
                if (audio.IsStreamOpen())
                {
                    audio.CloseStream();
                    closed++;
                }
            }
            catch (ObjectDisposedException)
            {
                // disposed meanwhile: nothing left to close
            }
#pragma warning disable CA1031 // At exit there is no caller left to raise to: report instead.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"pyrtaudionet: a stream closed at exit had failed: {e.Message}");
            }
        }
        return closed;
    }

    private static void Register(RtAudio audio)
    {
        using (Registry.EnterScope())
        {
            OpenOwners.RemoveAll(w => !w.TryGetTarget(out var other) || other == audio);
            OpenOwners.Add(new WeakReference<RtAudio>(audio));
            if (!_shutdownHandlerAdded)
            {
                PythonEngine.AddShutdownHandler(OnPythonShutdown);
                _shutdownHandlerAdded = true;
            }
        }
    }

    private static void OnPythonShutdown()
    {
        CloseAll();
        _shutDown = true;
    }
}
