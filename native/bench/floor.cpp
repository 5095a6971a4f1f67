// floor.cpp — the benchmark's native baselines on the JACK server named by JACK_DEFAULT_SERVER:
//   floor rtaudio SECONDS PERIOD   RtAudio directly, empty callback that zeroes the output (the C floor)
//   floor rtaudio-python SECONDS PERIOD   the same, its callback also taking the GIL and calling an
//                                  empty Python function with no arguments: the least any Python
//                                  callback costs (embedded CPython 3.11, the audio thread's
//                                  Python thread state kept from its first period on, as the bridge does)
//   floor bridge  SECONDS PERIOD   the same through our C ABI (prtn_*) with an empty callback
//   floor bridge-blocking SECONDS PERIOD   a blocking stream (default ring) fed one period per
//                                  write by a native thread: the floor of blocking I/O
// After a warm-up (BENCH_WARMUP seconds, default 4) it measures SECONDS and prints one JSON line: callbacks, process CPU
// seconds and xruns in the measured window.
#include <Python.h>  // first, as Python's headers ask
#include <RtAudio.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "prtn.h"

namespace {
std::atomic<unsigned long> g_callbacks{0};
std::atomic<unsigned long> g_xruns{0};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int rtaudio_callback(void* output, void*, unsigned int frames, double, RtAudioStreamStatus status, void*) {
    std::memset(output, 0, frames * 2 * sizeof(float));
    if (status) g_xruns.fetch_add(1, std::memory_order_relaxed);
    g_callbacks.fetch_add(1, std::memory_order_relaxed);
    return 0;
}

PyObject* g_python_function = nullptr;

int rtaudio_python_callback(void* output, void* input, unsigned int frames, double time, RtAudioStreamStatus status,
                            void* data) {
    if (PyGILState_GetThisThreadState() == nullptr) {  // the thread's lasting state: one Ensure never released
        PyGILState_Ensure();
        PyEval_SaveThread();
    }
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject* result = PyObject_Vectorcall(g_python_function, nullptr, 0, nullptr);
    if (result == nullptr) PyErr_Print();
    Py_XDECREF(result);
    PyGILState_Release(gil);
    return rtaudio_callback(output, input, frames, time, status, data);
}

// The bridge has zeroed the output already, and counts callbacks and xruns itself.
int32_t bridge_callback(void*, void*, uint32_t, double, uint32_t, void*) { return 0; }

// The blocking writer: one period per write, waiting for the audio thread whenever the ring is full.
void feed(prtn_instance* instance, uint32_t period, const std::atomic<bool>& stop) {
    std::vector<float> chunk(2 * period, 0.0f);
    while (!stop) {
        uint32_t written = 0;
        if (prtn_stream_write(instance, chunk.data(), period, &written) != PRTN_OK) return;
        if (written < period) prtn_stream_wait(instance, 50);  // a partial write leaves a partial period: fine here
    }
}

// Prints the window's counters; through the bridge (instance set) also the time per period it
// measured at its boundary.
void measure(double seconds, prtn_instance* instance = nullptr) {
    const char* warmup = std::getenv("BENCH_WARMUP");
    std::this_thread::sleep_for(std::chrono::duration<double>(warmup != nullptr ? std::atof(warmup) : 4.0));
    if (instance != nullptr) prtn_stream_durations_reset(instance);
    auto counters = [instance]() -> std::pair<unsigned long, unsigned long> {
        if (instance == nullptr) return {g_callbacks.load(), g_xruns.load()};
        prtn_stream_stats stats{};
        prtn_stream_stats_get(instance, &stats);
        return {stats.callbacks, stats.output_underflows + stats.ring_underflows};
    };
    auto [callbacks, xruns] = counters();
    double cpu = cpu_seconds();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    double used = cpu_seconds() - cpu;
    auto [callbacks_after, xruns_after] = counters();
    std::printf("{\"callbacks\": %lu, \"cpu_seconds\": %.6f, \"xruns\": %lu", callbacks_after - callbacks, used,
                xruns_after - xruns);
    if (instance != nullptr) {
        prtn_duration_summary d{};
        prtn_stream_durations_get(instance, &d);
        std::printf(", \"p50_us\": %.1f, \"p99_us\": %.1f, \"p999_us\": %.1f, \"max_us\": %.1f", d.p50_us, d.p99_us,
                    d.p999_us, d.max_us);
    }
    std::printf("}\n");
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s rtaudio|rtaudio-python|bridge|bridge-blocking SECONDS PERIOD\n", argv[0]);
        return 2;
    }
    std::string mode = argv[1];
    double seconds = std::atof(argv[2]);
    unsigned int period = static_cast<unsigned int>(std::atoi(argv[3]));
    if (mode == "rtaudio" || mode == "rtaudio-python") {
        bool python = mode == "rtaudio-python";
        PyThreadState* main_thread = nullptr;
        if (python) {
            Py_InitializeEx(0);
            PyRun_SimpleString("def callback():\n    pass\n");
            g_python_function = PyObject_GetAttrString(PyImport_AddModule("__main__"), "callback");
            main_thread = PyEval_SaveThread();  // the GIL is the audio thread's whenever it asks
        }
        RtAudio audio(RtAudio::UNIX_JACK);
        RtAudio::StreamParameters output;
        output.deviceId = audio.getDefaultOutputDevice();
        output.nChannels = 2;
        audio.openStream(&output, nullptr, RTAUDIO_FLOAT32, 48000, &period,
                         python ? &rtaudio_python_callback : &rtaudio_callback);
        audio.startStream();
        measure(seconds);
        audio.stopStream();
        audio.closeStream();
        if (python) {
            PyEval_RestoreThread(main_thread);
            Py_DECREF(g_python_function);
            Py_FinalizeEx();
        }
        return 0;
    }
    prtn_instance* instance = nullptr;
    char message[512];
    bool blocking = mode == "bridge-blocking";
    if ((mode != "bridge" && !blocking) || prtn_create(PRTN_API_UNIX_JACK, &instance, message, sizeof message) != PRTN_OK) {
        std::fprintf(stderr, "cannot start mode %s\n", mode.c_str());
        return 1;
    }
    uint32_t device = 0;
    prtn_default_output_device(instance, &device);
    prtn_stream_parameters output{device, 2, 0};
    prtn_blocking_options ring{0, PRTN_UNDERFLOW_PAD};
    int32_t opened = blocking ? prtn_open_blocking_stream(instance, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &period,
                                                          nullptr, "prtn-bench", &ring)
                              : prtn_open_stream(instance, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &period,
                                                 &bridge_callback, nullptr, nullptr, "prtn-bench");
    if (opened != PRTN_OK || prtn_start_stream(instance) != PRTN_OK) {
        std::fprintf(stderr, "%s\n", prtn_last_error_message(instance));
        return 1;
    }
    std::atomic<bool> stop{false};
    std::thread writer;
    if (blocking) writer = std::thread([&] { feed(instance, period, stop); });
    measure(seconds, instance);
    stop = true;
    if (writer.joinable()) writer.join();
    prtn_destroy(instance);
    return 0;
}
