// jack_server.hpp — a private JACK dummy server for the bridge tests, started by the project's one
// launcher (tools/jack-dummy-server, whose path CMake passes as PRTN_JACK_DUMMY_SERVER).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace prtn_test {

class JackServer {
public:
    explicit JackServer(std::string name) : name_(std::move(name)) {
        pid_ = fork();
        if (pid_ == 0) {
            freopen("/dev/null", "w", stdout);
            freopen("/dev/null", "w", stderr);
            // The launcher becomes jackd: pid_ is the server's.
            execl("/bin/sh", "sh", PRTN_JACK_DUMMY_SERVER, "run", name_.c_str(), "48000", "64", static_cast<char*>(nullptr));
            _exit(127);
        }
        use();
        std::string wait = std::string("sh '") + PRTN_JACK_DUMMY_SERVER + "' wait '" + name_ + "' " + std::to_string(pid_);
        if (std::system(wait.c_str()) != 0) {
            stop(SIGKILL);
            throw std::runtime_error("jackd '" + name_ + "' did not come up");
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

    std::string name_;
    pid_t pid_ = -1;
    bool killed_ = false;
};

inline std::string unique_server_name(const char* prefix) {
    return std::string(prefix) + "-" + std::to_string(getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
}

}  // namespace prtn_test
