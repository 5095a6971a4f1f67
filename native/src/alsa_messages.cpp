// alsa_messages.cpp — see alsa_messages.hpp.
#include "alsa_messages.hpp"

#include <alsa/asoundlib.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string>

#include "instance.hpp"
#include "rtaudio_compat.hpp"

namespace prtn {
namespace {

void on_alsa_message(const char* file, int line, const char* function, int err, const char* format, ...) {
    if (compat::tl_quiet) return;  // a probe whose failure is expected
    char text[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof text, format, args);
    va_end(args);
    // libasound's own format.
    std::string message = "ALSA lib " + std::string(file) + ":" + std::to_string(line) + ":(" + function + ") " + text;
    if (err != 0) message += std::string(": ") + snd_strerror(err);
    if (working_for_an_instance())
        report_error(PRTN_ERROR_WARNING, message);
    else
        std::fprintf(stderr, "%s\n", message.c_str());
}

}  // namespace

void route_alsa_messages() {
    static std::once_flag once;
    std::call_once(once, [] { snd_lib_error_set_handler(&on_alsa_message); });
}

}  // namespace prtn
