namespace PyRtAudioNet;

/// <summary>
/// Time the audio thread spent in the bridge per period — the callback, or a blocking stream's
/// ring copy, included — since the stream opened or <see cref="RtAudio.ResetCallbackDurations"/>.
/// Percentiles are upper bounds (1 µs resolution below 1024 µs, a power of two above); the
/// maximum is exact. Immutable.
/// </summary>
/// <param name="Count">Periods measured.</param>
/// <param name="P50Microseconds">Median.</param>
/// <param name="P99Microseconds">99th percentile.</param>
/// <param name="P999Microseconds">99.9th percentile.</param>
/// <param name="MaxMicroseconds">Longest period.</param>
/// <param name="RecentMicroseconds">Moving average over about the last 8 periods (what a CPU-load meter shows).</param>
public readonly record struct CallbackDurations(ulong Count, double P50Microseconds, double P99Microseconds, double P999Microseconds, double MaxMicroseconds, double RecentMicroseconds);
