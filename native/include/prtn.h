/*
 * prtn.h — the flat C ABI of the PyRtAudioNet native bridge over RtAudio.
 *
 * Every type has a fixed size; every enum is our own (stable across RtAudio
 * 5.x and 6.x, see src/rtaudio_compat.hpp). Fallible calls return a
 * prtn_error_type (PRTN_OK == 0); the message of the last failed call on an
 * instance is read with prtn_last_error_message. No C++ exception crosses
 * this boundary.
 *
 * Threading: one prtn_instance may be used by one thread at a time (the
 * caller serializes its calls). The audio callback runs on the driver's
 * audio thread; it never needs that serialization. prtn_stream_stats_get and
 * prtn_stream_wait may be called from any thread at any time.
 */
#ifndef PRTN_H
#define PRTN_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define PRTN_API __declspec(dllexport)
#else
#define PRTN_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Audio APIs (own numbering, independent of the RtAudio version). */
typedef enum {
    PRTN_API_UNSPECIFIED = 0,
    PRTN_API_LINUX_ALSA = 1,
    PRTN_API_LINUX_PULSE = 2,
    PRTN_API_LINUX_OSS = 3,
    PRTN_API_UNIX_JACK = 4,
    PRTN_API_MACOSX_CORE = 5,
    PRTN_API_WINDOWS_WASAPI = 6,
    PRTN_API_WINDOWS_ASIO = 7,
    PRTN_API_WINDOWS_DS = 8,
    PRTN_API_DUMMY = 9,
    PRTN_API_COUNT = 10
} prtn_api;

/* Error types (own numbering; RtAudio 5 and 6 number theirs differently). */
typedef enum {
    PRTN_OK = 0,
    PRTN_ERROR_WARNING = 1,
    PRTN_ERROR_DEBUG_WARNING = 2,
    PRTN_ERROR_UNSPECIFIED = 3,
    PRTN_ERROR_NO_DEVICES_FOUND = 4,
    PRTN_ERROR_INVALID_DEVICE = 5,
    PRTN_ERROR_MEMORY_ERROR = 6,
    PRTN_ERROR_INVALID_PARAMETER = 7,
    PRTN_ERROR_INVALID_USE = 8,
    PRTN_ERROR_DRIVER_ERROR = 9,
    PRTN_ERROR_SYSTEM_ERROR = 10,
    PRTN_ERROR_THREAD_ERROR = 11,
    PRTN_ERROR_DEVICE_DISCONNECT = 12
} prtn_error_type;

/* Sample formats, stream flags and status bits: RtAudio's own bit values. */
enum {
    PRTN_FORMAT_SINT8 = 0x1,
    PRTN_FORMAT_SINT16 = 0x2,
    PRTN_FORMAT_SINT24 = 0x4,
    PRTN_FORMAT_SINT32 = 0x8,
    PRTN_FORMAT_FLOAT32 = 0x10,
    PRTN_FORMAT_FLOAT64 = 0x20
};
enum {
    PRTN_FLAG_NONINTERLEAVED = 0x1,
    PRTN_FLAG_MINIMIZE_LATENCY = 0x2,
    PRTN_FLAG_HOG_DEVICE = 0x4,
    PRTN_FLAG_SCHEDULE_REALTIME = 0x8,
    PRTN_FLAG_ALSA_USE_DEFAULT = 0x10,
    PRTN_FLAG_JACK_DONT_CONNECT = 0x20
};
enum {
    PRTN_STATUS_INPUT_OVERFLOW = 0x1,
    PRTN_STATUS_OUTPUT_UNDERFLOW = 0x2,
    /* The bridge's own, for a primed block (prtn_stream_options.prime_output): its input is
     * silence, not recorded (with input), and its output plays first. */
    PRTN_STATUS_INPUT_UNDERFLOW = 0x4,
    PRTN_STATUS_PRIMING_OUTPUT = 0x8
};

#define PRTN_MAX_NAME 512
#define PRTN_MAX_SAMPLE_RATES 64

/* The limits of a stream's arguments: checked by the stream opens, and read by the bindings
 * (prtn_limit), which check them first to name the bad argument in their own terms. A stream
 * name is a JACK client name on JACK, whose longest is 63 bytes (jack_client_name_size() - 1):
 * one limit for every API keeps a name that works on one working on all. */
#define PRTN_MAX_SAMPLE_RATE 768000
#define PRTN_MAX_BLOCK_FRAMES 65536
#define PRTN_MAX_CHANNELS 1024
#define PRTN_MAX_RING_FRAMES 16777216
#define PRTN_MAX_STREAM_NAME_BYTES 63

typedef struct {
    uint32_t id;
    uint32_t output_channels;
    uint32_t input_channels;
    uint32_t duplex_channels;
    uint32_t is_default_output; /* 0 or 1 */
    uint32_t is_default_input;  /* 0 or 1 */
    uint32_t native_formats;    /* PRTN_FORMAT_* bits */
    uint32_t preferred_sample_rate;
    uint32_t sample_rate_count;
    uint32_t sample_rates[PRTN_MAX_SAMPLE_RATES];
    char name[PRTN_MAX_NAME];   /* UTF-8, NUL-terminated, truncated if longer */
} prtn_device_info;

typedef struct {
    uint32_t device_id;
    uint32_t channels;
    uint32_t first_channel;
} prtn_stream_parameters;

typedef struct {
    uint32_t flags;             /* PRTN stream flags (RtAudio bit values) */
    uint32_t number_of_buffers; /* in: wish (0 = default); out: granted */
    int32_t priority;           /* used with the SCHEDULE_REALTIME flag */
    uint32_t fixed_block;       /* 1 = the callback gets exactly the asked *buffer_frames each
                                 * call (when not 0), re-blocked by the bridge if the API runs
                                 * another period, which adds that many frames to the stream's
                                 * latency; a blocking stream's rings then trade such blocks with
                                 * the device; 0 = the API's periods (a transfer's always) */
    uint32_t prime_output;      /* callback streams with output: 1 = the bridge re-blocks (in the
                                 * API's periods if fixed_block asks for none) and the callback
                                 * makes the first block's output instead of silence, called
                                 * once before the first block with PRTN_STATUS_PRIMING_OUTPUT
                                 * (as PortAudio's "prime output buffers using stream callback") */
} prtn_stream_options;

typedef struct {
    uint64_t callbacks;         /* audio callbacks since the stream was opened */
    uint64_t frames;            /* frames passed through those callbacks */
    uint64_t output_underflows; /* callbacks flagged with an output underflow */
    uint64_t input_overflows;   /* callbacks flagged with an input overflow */
    uint64_t silenced;          /* callbacks answered with silence (callback disabled) */
    uint64_t ring_underflows;   /* blocking streams: periods the output ring could not fill */
    uint64_t ring_overflows;    /* blocking streams: periods whose input the ring could not take */
    uint64_t frames_written;    /* blocking streams: frames taken from the output ring */
    uint64_t frames_read;       /* blocking streams: frames put into the input ring */
} prtn_stream_stats;

/* Time the audio thread spent in the bridge per period (the callback or the ring copy
 * included), since the stream opened or the last reset. Percentiles are upper bounds: 1 µs
 * resolution below 1024 µs, a power of two above. */
typedef struct {
    uint64_t count;
    double p50_us;
    double p99_us;
    double p999_us;
    double max_us;    /* exact */
    double recent_us; /* moving average over about the last 8 periods */
} prtn_duration_summary;

/* What a blocking stream plays when its output ring holds less than a period. */
enum {
    PRTN_UNDERFLOW_PAD = 0,         /* what there is, then silence */
    PRTN_UNDERFLOW_WHOLE_PERIOD = 1 /* silence, keeping a partial period for the next one */
};

typedef struct {
    uint32_t ring_frames;    /* capacity of each ring in frames; 0 = 8 periods and at least 40 ms */
    uint32_t underflow_mode; /* PRTN_UNDERFLOW_* */
} prtn_blocking_options;

/* A transfer stream's data (prtn_open_transfer_stream): the audio thread plays `output` and
 * records into `input` (interleaved frames of the stream's sample format, `columns` samples each)
 * with no call out, and stops the stream itself after `frames` frames (as a callback returning
 * 1: the last period plays). Both must stay valid and unmoved until the stream is closed.
 * A map gives, for each column, the stream channel it plays or records (0-based, each at most
 * once); NULL maps column i to channel i. Channels no column maps to play silence. */
typedef struct {
    const void* output;       /* NULL: no output */
    void* input;              /* NULL: no input */
    uint64_t frames;          /* frames of each; at least 1 */
    uint32_t output_columns;  /* samples per frame of `output` */
    uint32_t input_columns;   /* samples per frame of `input` */
    const uint32_t* output_map; /* output_columns entries, or NULL */
    const uint32_t* input_map;  /* input_columns entries, or NULL */
    uint32_t loop;            /* 1: the output repeats until stopped (output only) */
    uint32_t reserved;
} prtn_transfer;

/* The audio callback, called on the audio thread. Returns 0 = continue,
 * 1 = stop (this period's output still plays), 2 = abort (this period's output is dropped).
 * After 1 or 2 the callback is not called again and the stream reports itself stopped;
 * the bridge does the actual stop in the next stop/abort/start/close call. */
typedef int32_t (*prtn_callback)(void* output, void* input, uint32_t frames,
                                 double stream_time, uint32_t status, void* user_data);

/* Called once, on a thread of the bridge's own, when the open stream ends without being asked
 * to (the JACK server shut down, or the stream's I/O failed for good, e.g. its PulseAudio
 * server went: error_type PRTN_ERROR_DEVICE_DISCONNECT). message is valid
 * during the call. Must return promptly and must not call into the instance. */
typedef void (*prtn_stream_event_callback)(int32_t error_type, const char* message, void* user_data);

typedef struct prtn_instance prtn_instance;

/* --- library-wide (any thread) --- */
PRTN_API const char* prtn_version(void); /* RtAudio's version, static storage */
PRTN_API int32_t prtn_compiled_api_count(void);
PRTN_API int32_t prtn_compiled_api(int32_t index);      /* prtn_api, or -1 if out of range */
PRTN_API const char* prtn_api_name(int32_t api);         /* static; "" if unknown */
PRTN_API const char* prtn_api_display_name(int32_t api); /* static; "" if unknown */
PRTN_API int32_t prtn_live_instances(void);              /* instances not yet destroyed */
/* The layout of this header's structs, for bindings to check theirs against: the size of the
 * struct named type (e.g. "prtn_stream_stats") when field is NULL, else the offset of its
 * field (e.g. "frames"); (size_t)-1 for a name this header does not define. */
PRTN_API size_t prtn_layout(const char* type, const char* field);
/* A PRTN_MAX_* limit by the name after the prefix (e.g. "CHANNELS"); 0 for a name this header
 * does not define. */
PRTN_API uint32_t prtn_limit(const char* name);
/* Bytes per sample of a PRTN_FORMAT_* value (SINT24: 3, packed); 0 if it is not exactly one format. */
PRTN_API uint32_t prtn_sample_bytes(uint32_t format);

/* --- instances --- */
/* Creates an instance for api. On failure *out is NULL and the message is
 * written (truncated, NUL-terminated) to error_message. */
PRTN_API int32_t prtn_create(int32_t api, prtn_instance** out, char* error_message,
                             int32_t error_message_size);
/* Stops and closes any open stream (the callback is not called again), then
 * frees the instance. Never fails; safe on NULL. */
PRTN_API void prtn_destroy(prtn_instance* instance);
PRTN_API int32_t prtn_last_error_type(const prtn_instance* instance);
/* Message of the last failed call; owned by the instance, valid until its next call. */
PRTN_API const char* prtn_last_error_message(const prtn_instance* instance);
/* Warnings RtAudio delivered since the last take; returns the count and
 * writes them, separated by '\n', into buffer (truncated). */
PRTN_API int32_t prtn_take_warnings(prtn_instance* instance, char* buffer, int32_t buffer_size);

/* Sets the stream-event callback (NULL: none); it stays set for the instance's life. */
PRTN_API int32_t prtn_set_stream_event_callback(prtn_instance* instance,
                                                prtn_stream_event_callback callback,
                                                void* user_data);
PRTN_API int32_t prtn_current_api(prtn_instance* instance, int32_t* api);
PRTN_API int32_t prtn_device_count(prtn_instance* instance, uint32_t* count);
/* Device ids in enumeration order; writes up to capacity ids, *count = total. */
PRTN_API int32_t prtn_device_ids(prtn_instance* instance, uint32_t* ids, uint32_t capacity,
                                 uint32_t* count);
PRTN_API int32_t prtn_get_device_info(prtn_instance* instance, uint32_t id, prtn_device_info* info);
PRTN_API int32_t prtn_default_output_device(prtn_instance* instance, uint32_t* id);
PRTN_API int32_t prtn_default_input_device(prtn_instance* instance, uint32_t* id);
/* The default input (input != 0) or output device's info, in one device scan: on JACK each
 * device query is a client connection, so this is cheaper than a default id and then its info. */
PRTN_API int32_t prtn_get_default_device_info(prtn_instance* instance, int32_t input, prtn_device_info* info);
/* JACK (elsewhere these do nothing): until the matching release, the instance keeps one JACK
 * client of its own open, so that the clients RtAudio 5.2 opens for each device query and stream
 * open find the server's shared memory already mapped (here ~12 ms a query after the first,
 * against ~50 ms alone).
 * Holds nest. Hold around a burst of calls, not for long: a client kept past its server's end is
 * never closed (libjack deletes it at the next client open). Releasing without a hold is
 * PRTN_ERROR_INVALID_USE. prtn_destroy ends any hold. */
PRTN_API int32_t prtn_hold_server(prtn_instance* instance);
PRTN_API int32_t prtn_release_server(prtn_instance* instance);

/* --- streams --- */
/* output/input/options may be NULL. stream_name (UTF-8) may be NULL.
 * *buffer_frames is the wish in and the granted size out. */
PRTN_API int32_t prtn_open_stream(prtn_instance* instance, const prtn_stream_parameters* output,
                                  const prtn_stream_parameters* input, uint32_t format,
                                  uint32_t sample_rate, uint32_t* buffer_frames,
                                  prtn_callback callback, void* user_data,
                                  prtn_stream_options* options, const char* stream_name);
PRTN_API int32_t prtn_start_stream(prtn_instance* instance);
/* Stopping a stream that is not running (its callback stopped it, say) queues RtAudio's
 * warning that it is already stopped, as RtAudio does. */
PRTN_API int32_t prtn_stop_stream(prtn_instance* instance);
PRTN_API int32_t prtn_abort_stream(prtn_instance* instance);
/* Closes the stream; after it returns the callback is never called again. With no stream open
 * it queues RtAudio's warning (prtn_destroy closes without one). A stream whose JACK
 * server went is closed without touching its JACK client, which libjack may have deleted
 * (server_loss.hpp): the RtAudio object behind it is kept until exit, and the instance opens
 * streams again on a new one. */
PRTN_API int32_t prtn_close_stream(prtn_instance* instance);
PRTN_API int32_t prtn_is_stream_open(prtn_instance* instance, int32_t* open);
PRTN_API int32_t prtn_is_stream_running(prtn_instance* instance, int32_t* running);
/* 1 if the calling thread is the audio thread of `instance`'s stream (its callback is running
 * on it, the only way that thread reaches the caller), else 0. Any thread; takes no lock. */
PRTN_API int32_t prtn_on_audio_thread_of(const prtn_instance* instance);
PRTN_API int32_t prtn_get_stream_time(prtn_instance* instance, double* time);
PRTN_API int32_t prtn_set_stream_time(prtn_instance* instance, double time);
/* RtAudio's latency of the stream (its directions added up), plus a block where the bridge
 * re-blocks (prtn_stream_options.fixed_block). */
PRTN_API int32_t prtn_get_stream_latency(prtn_instance* instance, int64_t* frames);
/* The same per direction (0 for a direction the stream lacks): the re-blocking's block counts
 * on the output side when there is one (a block's output plays a block after the callback made
 * it), else on the input side (an input frame reaches the callback up to a block later). */
PRTN_API int32_t prtn_get_stream_latencies(prtn_instance* instance, int64_t* output, int64_t* input);
PRTN_API int32_t prtn_get_stream_sample_rate(prtn_instance* instance, uint32_t* rate);
/* The frames the API hands the audio thread each time: the period it granted (a callback's
 * fixed block may differ, see prtn_stream_options.fixed_block). */
PRTN_API int32_t prtn_get_stream_period(prtn_instance* instance, uint32_t* frames);
/* Opens a stream that plays and records `transfer` (see prtn_transfer); the bridge copies the
 * maps, not the data. Like a callback stream it reports itself stopped when done. */
PRTN_API int32_t prtn_open_transfer_stream(prtn_instance* instance,
                                           const prtn_stream_parameters* output,
                                           const prtn_stream_parameters* input, uint32_t format,
                                           uint32_t sample_rate, uint32_t* buffer_frames,
                                           prtn_stream_options* options, const char* stream_name,
                                           const prtn_transfer* transfer);
/* --- blocking streams: the audio thread only moves samples between the device and two
 * lock-free single-producer/single-consumer rings (JACK's ringbuffer); it never calls out.
 * Write/read/available are non-blocking and serialized with the instance's other calls;
 * prtn_stream_wait may be called concurrently with them (no serialization needed). --- */
PRTN_API int32_t prtn_open_blocking_stream(prtn_instance* instance,
                                           const prtn_stream_parameters* output,
                                           const prtn_stream_parameters* input, uint32_t format,
                                           uint32_t sample_rate, uint32_t* buffer_frames,
                                           prtn_stream_options* options, const char* stream_name,
                                           const prtn_blocking_options* blocking);
/* Copies up to `frames` frames into the output ring; *written = frames copied. */
PRTN_API int32_t prtn_stream_write(prtn_instance* instance, const void* data, uint32_t frames,
                                   uint32_t* written);
/* Copies up to `frames` frames out of the input ring; *read = frames copied. */
PRTN_API int32_t prtn_stream_read(prtn_instance* instance, void* data, uint32_t frames,
                                  uint32_t* read);
PRTN_API int32_t prtn_stream_write_available(prtn_instance* instance, uint32_t* frames);
PRTN_API int32_t prtn_stream_read_available(prtn_instance* instance, uint32_t* frames);
/* Any thread: waits at most timeout_ms, and until close, a stop or the stream stopping itself (a
 * callback's 1 or 2, a transfer's end). A blocking stream with input, until the audio thread
 * moved data (it wakes waiters every period). Output only, the audio thread wakes no one: after
 * a write the ring could not take whole, until the ring is predicted half empty (the sample rate
 * drains it); after one it took whole, not at all. */
PRTN_API void prtn_stream_wait(prtn_instance* instance, int32_t timeout_ms);

/* Reports an error that happened off the calling thread (a driver error on
 * the audio thread), once: returns its type (PRTN_OK if none) and makes its
 * message the last error message. */
PRTN_API int32_t prtn_take_stream_error(prtn_instance* instance);

/* --- any thread, lock-free --- */
PRTN_API void prtn_stream_stats_get(const prtn_instance* instance, prtn_stream_stats* stats);
PRTN_API void prtn_stream_durations_get(const prtn_instance* instance, prtn_duration_summary* summary);
PRTN_API void prtn_stream_durations_reset(prtn_instance* instance);

#ifdef __cplusplus
}
#endif

#endif
