// bridge_test.cpp — the C ABI of the bridge against a real JACK dummy server: errors for bad
// input, callback and blocking streams, stop requests, waking waiters, server loss, and
// create/open/close/destroy cycles (the leak check runs over all of it under LeakSanitizer).
#include <gtest/gtest.h>

#include <jack/jack.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "graph_locks.hpp"
#include "jack_server.hpp"
#include "late_waits.hpp"
#include "prtn.h"

namespace {

using namespace std::chrono_literals;

prtn_test::JackServer* g_server = nullptr;

class JackEnvironment : public ::testing::Environment {
public:
    void SetUp() override { server_ = std::make_unique<prtn_test::JackServer>(prtn_test::unique_server_name("gtest")); g_server = server_.get(); }
    void TearDown() override { g_server = nullptr; server_.reset(); }

private:
    std::unique_ptr<prtn_test::JackServer> server_;
};
const auto* const g_environment = ::testing::AddGlobalTestEnvironment(new JackEnvironment);

template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(2ms);
    }
    return condition();
}

struct Instance {
    Instance() {
        char message[256];
        EXPECT_EQ(prtn_create(PRTN_API_UNIX_JACK, &raw, message, sizeof message), PRTN_OK) << message;
    }
    ~Instance() { prtn_destroy(raw); }
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;
    std::string message() const { return prtn_last_error_message(raw); }
    prtn_instance* raw = nullptr;
};

// Captures what this process writes to stderr (fd 2) while it lives.
class StderrCapture {
public:
    StderrCapture() : file_(std::tmpfile()), saved_(dup(2)) {
        std::fflush(stderr);
        dup2(fileno(file_), 2);
    }
    ~StderrCapture() { restore(); }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;
    std::string text() {
        restore();
        std::string text;
        std::rewind(file_);
        for (int c = std::fgetc(file_); c != EOF; c = std::fgetc(file_)) text += static_cast<char>(c);
        return text;
    }

private:
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        dup2(saved_, 2);
        close(saved_);
        saved_ = -1;
    }
    std::FILE* file_;
    int saved_;
};

struct Calls {
    std::atomic<int> count{0};
    int stop_after = -1;  // return 1 (stop) from this call on
};

int32_t counting_callback(void* output, void*, uint32_t frames, double, uint32_t, void* user_data) {
    auto* calls = static_cast<Calls*>(user_data);
    std::memset(output, 0, frames * 2 * sizeof(float));
    int n = ++calls->count;
    return calls->stop_after >= 0 && n >= calls->stop_after ? 1 : 0;
}

// The JACK server's one device, "system": id 0 on RtAudio 5, an id of RtAudio's own on 6.
uint32_t system_id() {
    static const uint32_t id = [] {
        Instance audio;
        uint32_t device = 0;
        EXPECT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK) << audio.message();
        return device;
    }();
    return id;
}

uint32_t open_output(Instance& audio, Calls& calls, uint32_t channels = 2) {
    uint32_t device = 0;
    EXPECT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK) << audio.message();
    prtn_stream_parameters output{device, channels, 0};
    uint32_t frames = 64;
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames,
                               &counting_callback, &calls, nullptr, "gtest"),
              PRTN_OK)
        << audio.message();
    return frames;
}

TEST(Library, ReportsVersionApisAndNames) {
    std::string major = std::string(prtn_version()).substr(0, 2);
    EXPECT_TRUE(major == "5." || major == "6.") << prtn_version();
    bool jack = false;
    for (int32_t i = 0; i < prtn_compiled_api_count(); ++i) jack |= prtn_compiled_api(i) == PRTN_API_UNIX_JACK;
    EXPECT_TRUE(jack);
    EXPECT_EQ(prtn_compiled_api(-1), -1);
    EXPECT_STREQ(prtn_api_name(PRTN_API_UNIX_JACK), "jack");
    EXPECT_STREQ(prtn_api_name(PRTN_API_COUNT), "");
    EXPECT_STREQ(prtn_api_display_name(-5), "Unknown");  // as RtAudio::getApiDisplayName
    EXPECT_STREQ(prtn_api_display_name(PRTN_API_UNSPECIFIED), "Unknown");
}

TEST(BadInput, CreateNamesTheUnknownOrMissingApi) {
    prtn_instance* out = reinterpret_cast<prtn_instance*>(1);
    char message[256];
    EXPECT_EQ(prtn_create(99, &out, message, sizeof message), PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_EQ(out, nullptr);
    EXPECT_NE(std::string(message).find("99"), std::string::npos) << message;
    EXPECT_EQ(prtn_create(PRTN_API_WINDOWS_ASIO, &out, message, sizeof message), PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(std::string(message).find("not compiled"), std::string::npos) << message;
    EXPECT_EQ(prtn_create(PRTN_API_UNIX_JACK, nullptr, message, sizeof message), PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_EQ(prtn_create(99, &out, nullptr, 0), PRTN_ERROR_INVALID_PARAMETER) << "no message buffer is fine";
}

TEST(BadInput, NullInstanceIsRefusedNotDereferenced) {
    prtn_destroy(nullptr);
    EXPECT_STREQ(prtn_last_error_message(nullptr), "null instance");
    int32_t running = 7;
    EXPECT_EQ(prtn_is_stream_running(nullptr, &running), PRTN_ERROR_INVALID_USE);
    EXPECT_EQ(prtn_start_stream(nullptr), PRTN_ERROR_INVALID_USE);
    EXPECT_EQ(prtn_close_stream(nullptr), PRTN_ERROR_INVALID_USE);
    prtn_stream_wait(nullptr, 10);
    prtn_stream_stats_get(nullptr, nullptr);
}

TEST(BadInput, StreamCallsWithoutAStreamSayNoStreamIsOpen) {
    Instance audio;
    for (auto call : {prtn_start_stream, prtn_stop_stream, prtn_abort_stream}) {
        EXPECT_EQ(call(audio.raw), PRTN_ERROR_INVALID_USE);
        EXPECT_NE(audio.message().find("no stream is open"), std::string::npos) << audio.message();
    }
    double time = 0;
    EXPECT_EQ(prtn_get_stream_time(audio.raw, &time), PRTN_ERROR_INVALID_USE);
    uint32_t frames = 0;
    EXPECT_EQ(prtn_stream_write(audio.raw, &time, 1, &frames), PRTN_ERROR_INVALID_USE);
    EXPECT_NE(audio.message().find("no blocking stream"), std::string::npos) << audio.message();
    EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK) << "closing nothing is fine";
}

// What a warning says, taken from the instance's queue ("" if none).
std::string take_warnings(prtn_instance* instance) {
    char text[1024] = "";
    prtn_take_warnings(instance, text, sizeof text);
    return text;
}

TEST(Warnings, OutsideAStreamTheyAreQueuedNotPrintedAndDestroyingGivesNone) {
    StderrCapture capture;
    {
        Instance audio;
        EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK);
        EXPECT_NE(take_warnings(audio.raw).find("no open stream to close"), std::string::npos) << "as RtAudio's closeStream warns";
        setenv("JACK_DEFAULT_SERVER", prtn_test::unique_server_name("gtest-none").c_str(), 1);
        prtn_device_info info{};
        EXPECT_NE(prtn_get_device_info(audio.raw, 0, &info), PRTN_OK);
        EXPECT_NE(take_warnings(audio.raw).find("RtApiJack"), std::string::npos) << "RtAudio's warning about the missing server";
        g_server->use();
    }
    EXPECT_EQ(capture.text(), "") << "RtAudio prints nothing itself, and prtn_destroy closes without a warning";
}

TEST(Warnings, LibasoundsMessagesDuringACallAreTheInstancesWarnings) {
    // No sound card here: libasound explains that on stderr for every ALSA device query.
    StderrCapture capture;
    prtn_instance* alsa = nullptr;
    char message[256];
    ASSERT_EQ(prtn_create(PRTN_API_LINUX_ALSA, &alsa, message, sizeof message), PRTN_OK) << message;
    uint32_t count = 7;
    EXPECT_EQ(prtn_device_count(alsa, &count), PRTN_OK) << prtn_last_error_message(alsa);
    EXPECT_EQ(count, 0u);
    EXPECT_NE(take_warnings(alsa).find("ALSA lib "), std::string::npos);
    prtn_destroy(alsa);
    EXPECT_EQ(capture.text(), "");
}

TEST(Warnings, StoppingAStreamItsCallbackStoppedGivesRtAudiosAlreadyStopped) {
    for (auto stop : {prtn_stop_stream, prtn_abort_stream}) {
        Instance audio;
        std::atomic<int> calls{0};
        prtn_stream_parameters output{system_id(), 2, 0};
        uint32_t frames = 64;
        auto callback = [](void*, void*, uint32_t, double, uint32_t, void* user) -> int32_t {
            return ++*static_cast<std::atomic<int>*>(user) < 5 ? 0 : 1;
        };
        ASSERT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, callback, &calls, nullptr, nullptr),
                  PRTN_OK) << audio.message();
        ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
        for (int waited = 0; calls.load() < 5 && waited < 5000; waited += 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_GE(calls.load(), 5);
        EXPECT_EQ(take_warnings(audio.raw), "");
        EXPECT_EQ(stop(audio.raw), PRTN_OK) << audio.message();
        EXPECT_NE(take_warnings(audio.raw).find("already stopped"), std::string::npos);
        EXPECT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
        EXPECT_EQ(take_warnings(audio.raw), "") << "restarting it is no warning";
    }
}

TEST(BadInput, OpenNamesTheBadArgument) {
    Instance audio;
    Calls calls;
    prtn_stream_parameters output{system_id(), 2, 0};
    uint32_t frames = 64;
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, nullptr, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_EQ(prtn_open_stream(audio.raw, nullptr, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, 0x3, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("unknown sample format 3"), std::string::npos) << audio.message();
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, nullptr, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    prtn_stream_parameters missing{4242, 2, 0};
    EXPECT_EQ(prtn_open_stream(audio.raw, &missing, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_DEVICE);
    EXPECT_NE(audio.message().find("4242"), std::string::npos) << audio.message();
    prtn_blocking_options blocking{0, 9};
    EXPECT_EQ(prtn_open_blocking_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, nullptr, &blocking),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("underflow mode 9"), std::string::npos) << audio.message();
    EXPECT_EQ(calls.count.load(), 0);
}

TEST(Limits, AreReadByNameAndRefusedByEveryOpen) {
    EXPECT_EQ(prtn_limit("CHANNELS"), uint32_t{PRTN_MAX_CHANNELS});
    EXPECT_EQ(prtn_limit("STREAM_NAME_BYTES"), uint32_t{PRTN_MAX_STREAM_NAME_BYTES});
    EXPECT_EQ(prtn_limit("NO_SUCH_LIMIT"), 0u);
    EXPECT_EQ(prtn_limit(nullptr), 0u);
    EXPECT_EQ(prtn_sample_bytes(PRTN_FORMAT_SINT24), 3u);
    EXPECT_EQ(prtn_sample_bytes(PRTN_FORMAT_FLOAT64), 8u);
    EXPECT_EQ(prtn_sample_bytes(PRTN_FORMAT_SINT8 | PRTN_FORMAT_SINT16), 0u);

    Instance audio;
    Calls calls;
    uint32_t frames = 64;
    prtn_stream_parameters wide{0, PRTN_MAX_CHANNELS + 1, 0};
    EXPECT_EQ(prtn_open_stream(audio.raw, &wide, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("channels 1025 is more than 1024"), std::string::npos) << audio.message();
    prtn_stream_parameters far{0, 2, PRTN_MAX_CHANNELS + 1};
    EXPECT_EQ(prtn_open_stream(audio.raw, nullptr, &far, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("first_channel 1025 is more than 1024"), std::string::npos) << audio.message();
    prtn_stream_parameters output{system_id(), 2, 0};
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, PRTN_MAX_SAMPLE_RATE + 1, &frames, &counting_callback,
                               &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("sample_rate"), std::string::npos) << audio.message();
    uint32_t long_block = PRTN_MAX_BLOCK_FRAMES + 1;
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &long_block, &counting_callback, &calls, nullptr,
                               nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
    std::string name(PRTN_MAX_STREAM_NAME_BYTES + 1, 'n');
    EXPECT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr,
                               name.c_str()),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("stream_name"), std::string::npos) << audio.message();
    prtn_blocking_options blocking{PRTN_MAX_RING_FRAMES + 1, 0};
    EXPECT_EQ(prtn_open_blocking_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, nullptr, &blocking),
              PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("ring_frames"), std::string::npos) << audio.message();
    EXPECT_EQ(calls.count.load(), 0);
}

size_t thread_count() {
    size_t count = 0;
    std::FILE* status = std::fopen("/proc/self/status", "r");
    char line[256];
    while (status != nullptr && std::fgets(line, sizeof line, status) != nullptr)
        if (std::sscanf(line, "Threads: %zu", &count) == 1) break;
    if (status != nullptr) std::fclose(status);
    return count;
}

// RtAudio's JACK backend opens its client before it counts the device's channels, and never
// closes it when the count refuses the stream (a thread and descriptors per refusal).
TEST(BadInput, TooManyChannelsAreRefusedNamingTheDeviceWithNothingLeftOpen) {
    Instance audio;
    prtn_stream_parameters too_many{system_id(), 3, 0};
    prtn_stream_parameters past_the_end{system_id(), 2, 1};
    uint32_t frames = 64;
    Calls calls;
    ASSERT_EQ(prtn_open_stream(audio.raw, &too_many, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);  // a first refusal: libjack's own threads start here
    size_t threads = thread_count();
    for (int attempt = 0; attempt < 5; ++attempt) {
        EXPECT_EQ(prtn_open_stream(audio.raw, &too_many, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, nullptr, nullptr),
                  PRTN_ERROR_INVALID_PARAMETER);
        EXPECT_EQ(audio.message(), "output channels 3 from channel 0 do not fit device " + std::to_string(system_id()) +
                                       " (system), which has 2 output channels");
        EXPECT_EQ(prtn_open_blocking_stream(audio.raw, nullptr, &past_the_end, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, nullptr, nullptr),
                  PRTN_ERROR_INVALID_PARAMETER);
        EXPECT_EQ(audio.message(), "input channels 2 from channel 1 do not fit device " + std::to_string(system_id()) +
                                       " (system), which has 2 input channels");
    }
    EXPECT_EQ(thread_count(), threads);
    prtn_stream_parameters unconnected{system_id(), 3, 0};
    prtn_stream_options dont_connect{PRTN_FLAG_JACK_DONT_CONNECT, 0, 0, 0, 0};
    EXPECT_EQ(prtn_open_stream(audio.raw, &unconnected, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &counting_callback, &calls, &dont_connect, nullptr),
              PRTN_OK) << "unconnected ports are not the device's: " << audio.message();
}

TEST(Devices, TheDefaultDeviceInfoIsTheDefaultIdsInfoInOneScan) {
    Instance audio;
    for (int32_t input : {0, 1}) {
        uint32_t id = 99;
        ASSERT_EQ((input ? prtn_default_input_device : prtn_default_output_device)(audio.raw, &id), PRTN_OK) << audio.message();
        prtn_device_info by_id{};
        prtn_device_info by_default{};
        ASSERT_EQ(prtn_get_device_info(audio.raw, id, &by_id), PRTN_OK) << audio.message();
        ASSERT_EQ(prtn_get_default_device_info(audio.raw, input, &by_default), PRTN_OK) << audio.message();
        EXPECT_EQ(by_default.id, id);
        EXPECT_STREQ(by_default.name, by_id.name);
        EXPECT_EQ(by_default.output_channels, by_id.output_channels);
        EXPECT_EQ(by_default.input_channels, by_id.input_channels);
        EXPECT_EQ(by_default.preferred_sample_rate, 48000u);
        EXPECT_EQ(input ? by_default.is_default_input : by_default.is_default_output, 1);
    }
    EXPECT_EQ(prtn_get_default_device_info(audio.raw, 0, nullptr), PRTN_ERROR_INVALID_PARAMETER);
    EXPECT_NE(audio.message().find("info is null"), std::string::npos) << audio.message();
}

// Counts the JACK clients that join the shared server while it lives (RtAudio 5.2 opens one
// for each device query).
class ClientJoins {
public:
    ClientJoins() : client_(jack_client_open("gtest-joins", JackNoStartServer, nullptr)) {
        EXPECT_NE(client_, nullptr);
        if (client_ == nullptr) return;
        jack_set_client_registration_callback(client_, &on_registration, this);
        EXPECT_EQ(jack_activate(client_), 0);
    }
    ~ClientJoins() {
        if (client_ != nullptr) jack_client_close(client_);
    }
    ClientJoins(const ClientJoins&) = delete;
    ClientJoins& operator=(const ClientJoins&) = delete;
    // The joins so far, once no new one has been reported for 200 ms (they arrive asynchronously).
    int settled() {
        int seen = -1;
        while (seen != joins_.load()) {
            seen = joins_.load();
            std::this_thread::sleep_for(200ms);
        }
        return seen;
    }

private:
    static void on_registration(const char*, int registered, void* self) {
        if (registered) ++static_cast<ClientJoins*>(self)->joins_;
    }
    jack_client_t* client_;
    std::atomic<int> joins_{0};
};

TEST(Devices, TheDefaultDeviceIsFoundWithOneDeviceQuery) {
    Instance audio;
    for (int32_t input : {0, 1}) {
        ClientJoins joins;
        int before = joins.settled();
        prtn_device_info info{};
        ASSERT_EQ(prtn_get_default_device_info(audio.raw, input, &info), PRTN_OK) << audio.message();
        EXPECT_EQ(joins.settled() - before, 1) << "JACK clients opened to find the default " << (input ? "input" : "output");
    }
}

TEST(Devices, WithoutAServerTheDefaultNamesTheApiAndWhatToStart) {
    setenv("JACK_DEFAULT_SERVER", prtn_test::unique_server_name("gtest-none").c_str(), 1);
    {
        Instance audio;
        prtn_device_info info{};
        uint32_t id = 0;
        StderrCapture capture;
        EXPECT_EQ(prtn_get_default_device_info(audio.raw, 0, &info), PRTN_ERROR_NO_DEVICES_FOUND);
        // The quick look at device 0 fails first; RtAudio's own warning about it stays unprinted.
        EXPECT_EQ(capture.text().find("RtApiJack"), std::string::npos);
        EXPECT_NE(audio.message().find("no output device: Jack lists no devices"), std::string::npos) << audio.message();
        EXPECT_NE(audio.message().find("jackd"), std::string::npos) << audio.message();
        EXPECT_EQ(prtn_default_input_device(audio.raw, &id), PRTN_ERROR_NO_DEVICES_FOUND);
        EXPECT_NE(audio.message().find("no input device"), std::string::npos) << audio.message();
    }
    g_server->use();
}

// RtAudio opens a JACK client for every device query; each maps and locks the server's port
// graph again unless another client of the process keeps it mapped, as a hold does.
TEST(ServerHold, QueriesInsideAHoldMapTheServerOnlyForTheHold) {
    Instance audio;
    prtn_device_info info{};
    uint32_t count = 0;
    prtn_test::GraphLocks unheld;
    ASSERT_EQ(prtn_get_default_device_info(audio.raw, 0, &info), PRTN_OK) << audio.message();
    ASSERT_EQ(prtn_device_count(audio.raw, &count), PRTN_OK) << audio.message();
    EXPECT_EQ(unheld.count(), 2) << "graph locks of two queries without a hold";

    prtn_test::GraphLocks held;
    ASSERT_EQ(prtn_hold_server(audio.raw), PRTN_OK) << audio.message();
    ASSERT_EQ(prtn_hold_server(audio.raw), PRTN_OK) << audio.message();  // holds nest
    ASSERT_EQ(prtn_get_default_device_info(audio.raw, 0, &info), PRTN_OK) << audio.message();
    ASSERT_EQ(prtn_release_server(audio.raw), PRTN_OK) << audio.message();
    ASSERT_EQ(prtn_get_default_device_info(audio.raw, 1, &info), PRTN_OK) << audio.message();
    ASSERT_EQ(prtn_device_count(audio.raw, &count), PRTN_OK) << audio.message();
    EXPECT_EQ(held.count(), 1) << "graph locks of a hold and three queries inside it";
    ASSERT_EQ(prtn_release_server(audio.raw), PRTN_OK) << audio.message();

    prtn_test::GraphLocks released;
    ASSERT_EQ(prtn_device_count(audio.raw, &count), PRTN_OK) << audio.message();
    EXPECT_EQ(released.count(), 1) << "graph locks of a query after the last release";
    EXPECT_EQ(prtn_release_server(audio.raw), PRTN_ERROR_INVALID_USE);
    EXPECT_NE(audio.message().find("no server hold is taken"), std::string::npos) << audio.message();
}

TEST(ServerHold, AStreamOpenMapsTheServerOnce) {
    Instance audio;
    prtn_stream_parameters output{system_id(), 2, 0};
    uint32_t frames = 64;
    Calls calls;
    prtn_test::GraphLocks locks;
    // RtAudio's openStream counts the devices (a client) before the stream's own client opens.
    ASSERT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames,
                               &counting_callback, &calls, nullptr, "gtest"),
              PRTN_OK)
        << audio.message();
    EXPECT_EQ(locks.count(), 1);
    EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK) << audio.message();
}

TEST(ServerHold, WithoutAServerHoldsNothingAndPrintsNothing) {
    setenv("JACK_DEFAULT_SERVER", prtn_test::unique_server_name("gtest-none").c_str(), 1);
    {
        Instance audio;
        StderrCapture capture;
        EXPECT_EQ(prtn_hold_server(audio.raw), PRTN_OK) << audio.message();
        uint32_t count = 99;
        EXPECT_EQ(prtn_device_count(audio.raw, &count), PRTN_OK) << audio.message();
        EXPECT_EQ(count, 0u);
        EXPECT_EQ(prtn_release_server(audio.raw), PRTN_OK) << audio.message();
        EXPECT_EQ(capture.text(), "");
    }
    g_server->use();
}

// libjack closes and deletes every client of the process at the first client open after one of
// them saw its server go: here the failed query's. The hold, deleted so, must not be closed
// again at its release (AddressSanitizer reports that use after free), nor at destroy.
TEST(ServerHold, AHoldWhoseServerWentIsNotClosedAgain) {
    {
        prtn_test::JackServer own(prtn_test::unique_server_name("gtest-hold"));
        Instance audio;
        prtn_device_info info{};
        ASSERT_EQ(prtn_hold_server(audio.raw), PRTN_OK) << audio.message();
        ASSERT_EQ(prtn_get_default_device_info(audio.raw, 0, &info), PRTN_OK) << audio.message();
        own.kill();
        std::this_thread::sleep_for(200ms);  // libjack's thread of the hold sees the socket close
        EXPECT_EQ(prtn_get_default_device_info(audio.raw, 0, &info), PRTN_ERROR_NO_DEVICES_FOUND);
        EXPECT_EQ(prtn_release_server(audio.raw), PRTN_OK) << audio.message();
        ASSERT_EQ(prtn_hold_server(audio.raw), PRTN_OK) << audio.message();  // no server: holds nothing
    }
    g_server->use();
    Instance audio;
    prtn_device_info info{};
    EXPECT_EQ(prtn_get_default_device_info(audio.raw, 0, &info), PRTN_OK) << audio.message();
}

TEST(CallbackStream, RunsCountsAndClosesForGood) {
    Instance audio;
    Calls calls;
    EXPECT_EQ(open_output(audio, calls), 64u);
    EXPECT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_TRUE(wait_until([&] { return calls.count.load() > 50; }, 5000ms));
    prtn_stream_stats stats{};
    prtn_stream_stats_get(audio.raw, &stats);
    EXPECT_GE(stats.callbacks, 50u);
    EXPECT_EQ(stats.frames, stats.callbacks * 64);
    EXPECT_EQ(prtn_stop_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK) << audio.message();
    int after_close = calls.count.load();
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(calls.count.load(), after_close) << "no callback after close";
    int32_t open = 1;
    EXPECT_EQ(prtn_is_stream_open(audio.raw, &open), PRTN_OK);
    EXPECT_EQ(open, 0);
}

// The latency per direction adds up to RtAudio's total (which the bridge's block joins once),
// the block counted on the output side when there is one.
TEST(CallbackStream, LatenciesPerDirectionAddUpAndPlaceTheBlock) {
    prtn_stream_parameters side{system_id(), 1, 0};
    auto latencies = [&](bool with_output, bool with_input, uint32_t block) {
        Instance audio;
        Calls calls;
        uint32_t frames = block != 0 ? block : 64;
        prtn_stream_options options{PRTN_FLAG_JACK_DONT_CONNECT, 0, 0, block != 0 ? 1u : 0u, 0};
        EXPECT_EQ(prtn_open_stream(audio.raw, with_output ? &side : nullptr, with_input ? &side : nullptr, PRTN_FORMAT_FLOAT32, 48000,
                                   &frames, &counting_callback, &calls, &options, nullptr),
                  PRTN_OK)
            << audio.message();
        int64_t total = -1, output = -1, input = -1;
        EXPECT_EQ(prtn_get_stream_latency(audio.raw, &total), PRTN_OK) << audio.message();
        EXPECT_EQ(prtn_get_stream_latencies(audio.raw, &output, &input), PRTN_OK) << audio.message();
        EXPECT_EQ(output + input, total);
        return std::pair{output, input};
    };
    for (auto [with_output, with_input] : {std::pair{true, true}, std::pair{true, false}, std::pair{false, true}}) {
        auto [output, input] = latencies(with_output, with_input, 0);
        EXPECT_EQ(output > 0, with_output);
        EXPECT_EQ(input > 0, with_input);
        auto [blocked_output, blocked_input] = latencies(with_output, with_input, 100);
        EXPECT_EQ(blocked_output, output + (with_output ? 100 : 0));
        EXPECT_EQ(blocked_input, input + (with_output ? 0 : 100));
    }
    Instance closed;
    int64_t output = 0, input = 0;
    EXPECT_EQ(prtn_get_stream_latencies(closed.raw, &output, &input), PRTN_ERROR_INVALID_USE);
}

TEST(CallbackStream, AStopRequestStopsItAndItCanStartAgain) {
    Instance audio;
    Calls calls;
    calls.stop_after = 10;
    open_output(audio, calls);
    ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    int32_t running = 1;
    EXPECT_TRUE(wait_until([&] { return prtn_is_stream_running(audio.raw, &running) == PRTN_OK && running == 0; }, 5000ms));
    EXPECT_EQ(calls.count.load(), 10) << "not called again after asking to stop";
    calls.stop_after = -1;
    EXPECT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_TRUE(wait_until([&] { return calls.count.load() > 30; }, 5000ms));
    EXPECT_EQ(prtn_abort_stream(audio.raw), PRTN_OK) << audio.message();
}

// Asks, on the audio thread, whose audio thread it is.
struct ThreadQuestions {
    const prtn_instance* own = nullptr;
    const prtn_instance* other = nullptr;
    std::atomic<int> calls{0};
    std::atomic<int> own_answers{0};
    std::atomic<int> other_answers{0};
};

int32_t asking_callback(void*, void*, uint32_t, double, uint32_t, void* user_data) {
    auto* questions = static_cast<ThreadQuestions*>(user_data);
    questions->own_answers += prtn_on_audio_thread_of(questions->own);
    questions->other_answers += prtn_on_audio_thread_of(questions->other) + prtn_on_audio_thread_of(nullptr);
    ++questions->calls;
    return 0;
}

TEST(CallbackStream, ItsAudioThreadIsKnownAsItsOwnOnly) {
    Instance audio;
    Instance other;
    ThreadQuestions questions;
    questions.own = audio.raw;
    questions.other = other.raw;
    uint32_t device = 0;
    ASSERT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK) << audio.message();
    prtn_stream_parameters output{device, 2, 0};
    uint32_t frames = 64;
    ASSERT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &asking_callback, &questions, nullptr, "gtest-asking"),
              PRTN_OK)
        << audio.message();
    ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_TRUE(wait_until([&] { return questions.calls.load() > 10; }, 5000ms));
    ASSERT_EQ(prtn_abort_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_EQ(questions.own_answers.load(), questions.calls.load());
    EXPECT_EQ(questions.other_answers.load(), 0);
    EXPECT_EQ(prtn_on_audio_thread_of(audio.raw), 0) << "the test's thread is no audio thread";
}

struct SleepyCalls {
    std::atomic<int> started{0};
    std::atomic<int> finished{0};
};

// Sleeps in a cancellation point (nanosleep) for most of the period and beyond.
int32_t sleepy_callback(void*, void*, uint32_t, double, uint32_t, void* user_data) {
    auto* calls = static_cast<SleepyCalls*>(user_data);
    ++calls->started;
    std::this_thread::sleep_for(5ms);
    ++calls->finished;
    return 0;
}

TEST(CallbackStream, AbortAndCloseNeverCancelTheAudioThreadInsideTheCallback) {
    // libjack cancels the process thread on deactivation; RtAudio 5.2's abort and close of a
    // running stream deactivate at once. Inside the callback that cancellation would unwind
    // through the caller's frames (.NET, CPython); every callback that started must finish.
    for (bool close : {false, true}) {
        Instance audio;
        SleepyCalls calls;
        uint32_t device = 0;
        ASSERT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK);
        prtn_stream_parameters output{device, 2, 0};
        uint32_t frames = 64;
        ASSERT_EQ(prtn_open_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, &sleepy_callback, &calls, nullptr, "gtest-sleepy"),
                  PRTN_OK)
            << audio.message();
        for (int round = 0; round < 5; ++round) {
            ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
            int before = calls.started.load();
            ASSERT_TRUE(wait_until([&] { return calls.started.load() > before + 2 && calls.started.load() != calls.finished.load(); }, 5000ms));
            ASSERT_EQ(close && round == 4 ? prtn_close_stream(audio.raw) : prtn_abort_stream(audio.raw), PRTN_OK) << audio.message();
            EXPECT_EQ(calls.started.load(), calls.finished.load()) << "a callback was cut short";
        }
    }
}

TEST(CallbackStream, AStopOrCloseDelayedBeforeItsWaitStillReturns) {
    // RtAudio 5.2's JACK stopStream asks the audio thread for a drain, then waits for its one
    // signal; a stopper descheduled in between for two periods waited forever (it hung CI once).
    // Here every condition wait of the stopping thread starts 20 ms (15 periods) late.
    for (bool close : {false, true}) {
        Instance audio;
        Calls calls;
        open_output(audio, calls);
        for (int round = 0; round < 3; ++round) {
            ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
            int before = calls.count.load();
            ASSERT_TRUE(wait_until([&] { return calls.count.load() > before + 2; }, 5000ms));
            std::atomic<int32_t> result{-1};
            std::thread stopper([&] {
                prtn_test::LateConditionWaits late(20ms);
                result = close && round == 2 ? prtn_close_stream(audio.raw) : prtn_stop_stream(audio.raw);
            });
            if (!wait_until([&] { return result.load() != -1; }, 10000ms)) {
                ADD_FAILURE() << (close ? "close" : "stop") << " never returned";
                g_server->terminate();  // the stopper cannot be joined: leave no server behind
                std::_Exit(1);
            }
            stopper.join();
            EXPECT_EQ(result.load(), PRTN_OK) << audio.message();
        }
    }
}

TEST(TransferStream, RefusesDataThatDoesNotFitNamingWhy) {
    Instance audio;
    prtn_stream_parameters output{system_id(), 2, 0};
    prtn_stream_parameters input{system_id(), 2, 0};
    std::vector<float> data(64 * 2);
    uint32_t far_channel[] = {2};
    uint32_t twice[] = {1, 1};
    struct Case {
        prtn_transfer transfer;
        bool with_input;
        const char* message;
    } cases[] = {
        {{data.data(), nullptr, 0, 2, 0, nullptr, nullptr, 0, 0}, false, "at least 1 frame"},
        {{nullptr, nullptr, 64, 2, 0, nullptr, nullptr, 0, 0}, false, "no output data"},
        {{data.data(), nullptr, 64, 3, 0, nullptr, nullptr, 0, 0}, false, "output data has 3 columns; the stream has 2 output channels"},
        {{data.data(), nullptr, 64, 1, 0, far_channel, nullptr, 0, 0}, false, "output map names channel 2 (0-based) of 2"},
        {{data.data(), nullptr, 64, 2, 0, twice, nullptr, 0, 0}, false, "output map names channel 1 twice"},
        {{data.data(), data.data(), 64, 2, 2, nullptr, nullptr, 1, 0}, true, "loop repeats output only"},
        {{data.data(), nullptr, 64, 2, 0, nullptr, nullptr, 0, 0}, true, "the stream has input but the transfer no input buffer"},
    };
    for (const Case& c : cases) {
        uint32_t frames = 64;
        EXPECT_EQ(prtn_open_transfer_stream(audio.raw, &output, c.with_input ? &input : nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames,
                                            nullptr, nullptr, &c.transfer),
                  PRTN_ERROR_INVALID_PARAMETER)
            << c.message;
        EXPECT_NE(audio.message().find(c.message), std::string::npos) << audio.message();
        int32_t open = 1;
        EXPECT_EQ(prtn_is_stream_open(audio.raw, &open), PRTN_OK);
        EXPECT_EQ(open, 0) << c.message;
    }
    uint32_t frames = 64;
    EXPECT_EQ(prtn_open_transfer_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, nullptr, nullptr),
              PRTN_ERROR_INVALID_PARAMETER);
}

TEST(TransferStream, PlaysItsFramesThenStopsItselfAndWakesAWaiter) {
    Instance audio;
    uint32_t device = 0;
    ASSERT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK);
    prtn_stream_parameters output{device, 2, 0};
    const uint64_t length = 4800;  // 100 ms at 48 kHz
    std::vector<float> data(length, 0.5f);
    uint32_t right[] = {1};
    prtn_transfer transfer{data.data(), nullptr, length, 1, 0, right, nullptr, 0, 0};
    uint32_t frames = 64;
    ASSERT_EQ(prtn_open_transfer_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, "gtest-transfer", &transfer),
              PRTN_OK)
        << audio.message();
    std::atomic<bool> woke{false};
    std::thread waiter([&] {
        prtn_stream_wait(audio.raw, 20000);
        woke = true;
    });
    std::this_thread::sleep_for(20ms);
    auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_TRUE(wait_until([&] { return woke.load(); }, 10000ms)) << "the transfer's end wakes a waiter";
    EXPECT_GE(std::chrono::steady_clock::now() - started, 90ms) << "woken by the end of 100 ms of frames";
    waiter.join();
    int32_t running = 1;
    EXPECT_EQ(prtn_is_stream_running(audio.raw, &running), PRTN_OK);
    EXPECT_EQ(running, 0) << "the transfer's end stops the stream";
    prtn_stream_stats stats{};
    prtn_stream_stats_get(audio.raw, &stats);
    EXPECT_GE(stats.frames, length);
    double time = 0;
    ASSERT_EQ(prtn_get_stream_time(audio.raw, &time), PRTN_OK);
    EXPECT_NEAR(time, (length + frames - 1) / frames * frames / 48000.0, 1e-9) << "the time stays at the end of the last period";
    EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK) << audio.message();
}

TEST(BlockingStream, MovesFramesBothWaysAndCloseWakesAWaiter) {
    Instance audio;
    uint32_t device = 0;
    ASSERT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK);
    prtn_stream_parameters output{device, 2, 0};
    prtn_stream_parameters input{device, 2, 0};
    uint32_t frames = 64;
    prtn_blocking_options blocking{1024, PRTN_UNDERFLOW_PAD};
    ASSERT_EQ(prtn_open_blocking_stream(audio.raw, &output, &input, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, "gtest-blocking", &blocking),
              PRTN_OK)
        << audio.message();
    std::vector<float> data(2 * 1024, 0.25f);
    uint32_t written = 0;
    EXPECT_EQ(prtn_stream_write(audio.raw, data.data(), 2000, &written), PRTN_OK);
    EXPECT_EQ(written, 1024u) << "a full ring takes no more";
    ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    prtn_stream_stats stats{};
    EXPECT_TRUE(wait_until([&] { prtn_stream_stats_get(audio.raw, &stats); return stats.frames_written >= 1024 && stats.frames_read >= 1024; }, 5000ms));
    uint32_t read = 0;
    EXPECT_EQ(prtn_stream_read(audio.raw, data.data(), 1024, &read), PRTN_OK);
    EXPECT_EQ(read, 1024u);

    std::atomic<bool> woke{false};
    std::thread waiter([&] {
        prtn_stream_wait(audio.raw, 10000);
        woke = true;
    });
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK) << audio.message();
    EXPECT_TRUE(wait_until([&] { return woke.load(); }, 1000ms)) << "close wakes a waiter";
    waiter.join();
}

TEST(BlockingStream, AnOutputOnlyWriterSleepsUntilTheRingIsHalfEmptyNotUntilTheTimeout) {
    Instance audio;
    uint32_t device = 0;
    ASSERT_EQ(prtn_default_output_device(audio.raw, &device), PRTN_OK);
    prtn_stream_parameters output{device, 2, 0};
    uint32_t frames = 64;
    prtn_blocking_options blocking{1024, PRTN_UNDERFLOW_PAD};
    ASSERT_EQ(prtn_open_blocking_stream(audio.raw, &output, nullptr, PRTN_FORMAT_FLOAT32, 48000, &frames, nullptr, "gtest-writer", &blocking),
              PRTN_OK)
        << audio.message();
    ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
    std::vector<float> data(2 * 2048, 0.25f);
    uint32_t written = 0;
    prtn_stream_stats before{};
    prtn_stream_stats after{};
    prtn_stream_stats_get(audio.raw, &before);
    auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(prtn_stream_write(audio.raw, data.data(), 2048, &written), PRTN_OK);
    prtn_stream_stats_get(audio.raw, &after);
    ASSERT_LT(written, 2048u) << "the ring is full";
    prtn_stream_wait(audio.raw, 10000);
    auto slept = std::chrono::steady_clock::now() - started;
    // The write fills the 1024-frame ring and then sleeps until the audio thread has played it
    // down to half: the frames above half that were still queued when the write measured the
    // ring, at 48 kHz. The audio thread may have played some between the fill and that
    // measurement (at most what the counter moved during the write, plus the period whose count
    // it had not yet added). That is several periods' sleep, not one (no wake-up by the audio
    // thread), and not the timeout.
    uint64_t played_meanwhile = after.frames_written - before.frames_written + frames;
    uint64_t above_half = played_meanwhile < 512 ? 512 - played_meanwhile : 0;
    auto slept_us = std::chrono::duration_cast<std::chrono::microseconds>(slept).count();
    EXPECT_GE(static_cast<uint64_t>(slept_us), above_half * 1000000 / 48000) << "microseconds slept, and the least";
    EXPECT_LT(slept, 2000ms);

    ASSERT_EQ(prtn_stream_write(audio.raw, data.data(), 1, &written), PRTN_OK);
    ASSERT_EQ(written, 1u);
    started = std::chrono::steady_clock::now();
    prtn_stream_wait(audio.raw, 10000);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2000ms) << "after a write the ring took whole, no wait";
    EXPECT_EQ(prtn_close_stream(audio.raw), PRTN_OK) << audio.message();
}

struct EventSeen {
    std::atomic<int32_t> type{PRTN_OK};
    std::atomic<int> count{0};
};

void on_stream_event(int32_t type, const char* message, void* user_data) {
    auto* seen = static_cast<EventSeen*>(user_data);
    EXPECT_NE(std::strstr(message, "shut down"), nullptr) << message;
    seen->type = type;
    ++seen->count;
}

// An output stream, opened and not started, on a private server of its own that the test
// kills; its stream events are counted in `seen`. The shared server is used again afterwards.
struct StreamOnItsOwnServer {
    StreamOnItsOwnServer() {
        EXPECT_EQ(prtn_set_stream_event_callback(audio.raw, &on_stream_event, &seen), PRTN_OK);
        open_output(audio, calls);
    }
    struct UseSharedServerAfterwards {
        ~UseSharedServerAfterwards() { g_server->use(); }
    } use_shared_server_afterwards;  // first member: runs after `server` is gone
    prtn_test::JackServer server{prtn_test::unique_server_name("gtest-loss")};
    Instance audio;
    EventSeen seen;
    Calls calls;
};

TEST(ServerLoss, IsReportedOnceAndTheInstanceStaysSafeToUse) {
    StreamOnItsOwnServer lost;
    ASSERT_EQ(prtn_start_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
    ASSERT_TRUE(wait_until([&] { return lost.calls.count.load() > 20; }, 5000ms));
    StderrCapture capture;
    lost.server.kill();
    EXPECT_TRUE(wait_until([&] { return lost.seen.count.load() > 0; }, 1000ms));
    EXPECT_EQ(lost.seen.type.load(), PRTN_ERROR_DEVICE_DISCONNECT);
    std::this_thread::sleep_for(200ms);  // time for RtAudio's own handler to print, were it called
    std::string printed = capture.text();
    // RtAudio 5.2's own JACK shutdown handler closes the stream from a thread whose
    // jack_client_close cancels the handler while it prints this line (server_loss.hpp): the
    // process aborted, or its next print hung. The bridge's handler replaces it.
    EXPECT_EQ(printed.find("shutting down this client"), std::string::npos) << printed;
    double time = 0;
    EXPECT_EQ(prtn_get_stream_time(lost.audio.raw, &time), PRTN_ERROR_DEVICE_DISCONNECT);
    EXPECT_EQ(prtn_stop_stream(lost.audio.raw), PRTN_ERROR_DEVICE_DISCONNECT);
    EXPECT_EQ(prtn_close_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
    EXPECT_EQ(lost.seen.count.load(), 1);
}

TEST(ServerLoss, OfAStreamNotStartedIsReportedAndItStillCloses) {
    StreamOnItsOwnServer lost;
    lost.server.kill();
    EXPECT_TRUE(wait_until([&] { return lost.seen.count.load() > 0; }, 1000ms));
    EXPECT_EQ(prtn_start_stream(lost.audio.raw), PRTN_ERROR_DEVICE_DISCONNECT);
    EXPECT_EQ(prtn_close_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
    EXPECT_EQ(lost.calls.count.load(), 0);
}

// libjack closes and deletes every client of the process at the first client open after one of
// them saw its server go (ServerHold.AHoldWhoseServerWentIsNotClosedAgain). A stream whose server
// went, closed only after such an open (another stream or query, on any server), must not have
// its deleted client deactivated and closed again: AddressSanitizer reports that use after free,
// the plain build crashes. The instance then opens and runs a new stream.
TEST(ServerLoss, AStreamClosedAfterTheProcessOpenedAnotherClientStillClosesAndTheInstanceOpensAgain) {
    StreamOnItsOwnServer lost;
    ASSERT_EQ(prtn_start_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
    ASSERT_TRUE(wait_until([&] { return lost.calls.count.load() > 20; }, 5000ms));
    lost.server.kill();
    ASSERT_TRUE(wait_until([&] { return lost.seen.count.load() > 0; }, 1000ms));
    g_server->use();
    {
        Instance other;
        prtn_device_info info{};
        EXPECT_EQ(prtn_get_default_device_info(other.raw, 0, &info), PRTN_OK) << other.message();
    }
    EXPECT_EQ(prtn_close_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
    Calls again;
    open_output(lost.audio, again);
    ASSERT_EQ(prtn_start_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
    EXPECT_TRUE(wait_until([&] { return again.count.load() > 20; }, 5000ms));
    EXPECT_EQ(prtn_close_stream(lost.audio.raw), PRTN_OK) << lost.audio.message();
}

TEST(Lifecycle, CreateOpenStartStopCloseDestroyCyclesLeaveNothingBehind) {
    int32_t live = prtn_live_instances();
    for (int cycle = 0; cycle < 30; ++cycle) {
        Instance audio;
        Calls calls;
        open_output(audio, calls);
        ASSERT_EQ(prtn_start_stream(audio.raw), PRTN_OK) << audio.message();
        ASSERT_TRUE(wait_until([&] { return calls.count.load() > 2; }, 5000ms));
        ASSERT_EQ(prtn_stop_stream(audio.raw), PRTN_OK) << audio.message();
        if (cycle % 2 == 0) {
            ASSERT_EQ(prtn_close_stream(audio.raw), PRTN_OK);  // else destroy closes it
        }
    }
    EXPECT_EQ(prtn_live_instances(), live);
}

}  // namespace
