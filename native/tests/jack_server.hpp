// jack_server.hpp — a private JACK dummy server for the bridge tests (fork/exec jackd).
#pragma once

#include <jack/jack.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace prtn_test {

class JackServer {
public:
    explicit JackServer(std::string name) : name_(std::move(name)) {
        pid_ = fork();
        if (pid_ == 0) {
            freopen("/dev/null", "w", stdout);
            freopen("/dev/null", "w", stderr);
            execlp("jackd", "jackd", "-n", name_.c_str(), "--no-realtime", "-t", "10000", "-d", "dummy",
                   "-r", "48000", "-p", "64", static_cast<char*>(nullptr));
            _exit(127);
        }
        use();
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!has_system_ports()) {
            if (std::chrono::steady_clock::now() > deadline || waitpid(pid_, nullptr, WNOHANG) != 0)
                throw std::runtime_error("jackd '" + name_ + "' did not come up");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    // SIGTERM: a clean stop. A server ended by kill() (SIGKILL) keeps its slot in JACK's
    // registry until a server of the same name starts, so that is done here too.
    ~JackServer() {
        stop(SIGTERM);
        if (!killed_) return;
        try {
            JackServer reclaim(name_);
        } catch (const std::exception&) {
            // nothing more to do from a destructor: the slot stays taken
        }
    }
    JackServer(const JackServer&) = delete;
    JackServer& operator=(const JackServer&) = delete;

    // Points this process's JACK clients at this server.
    void use() const {
        setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
        setenv("JACK_NO_START_SERVER", "1", 1);
    }

    // SIGTERM now, for a test that must exit at once.
    void terminate() { stop(SIGTERM); }

    void kill() {
        stop(SIGKILL);
        killed_ = true;
    }
    const std::string& name() const { return name_; }

private:
    void stop(int signal) {
        if (pid_ <= 0) return;
        ::kill(pid_, signal);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    static bool has_system_ports() {
        jack_client_t* client = jack_client_open("prtn-test-probe", JackNoStartServer, nullptr);
        if (client == nullptr) return false;
        const char** ports = jack_get_ports(client, "system:playback_", nullptr, 0);
        bool found = ports != nullptr;
        jack_free(ports);
        jack_client_close(client);
        return found;
    }

    std::string name_;
    pid_t pid_ = -1;
    bool killed_ = false;
};

inline std::string unique_server_name(const char* prefix) {
    return std::string(prefix) + "-" + std::to_string(getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
}

}  // namespace prtn_test
