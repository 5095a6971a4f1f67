// late_waits.cpp — interposes pthread_cond_wait for the whole test binary (the executable's
// definition wins over libc's for every library); only threads inside a LateConditionWaits
// scope are delayed, all others go straight to the real function.
#include "late_waits.hpp"

#include <dlfcn.h>
#include <pthread.h>

#include <thread>

namespace {
thread_local std::chrono::milliseconds t_delay{0};
}

namespace prtn_test {
LateConditionWaits::LateConditionWaits(std::chrono::milliseconds delay) { t_delay = delay; }
LateConditionWaits::~LateConditionWaits() { t_delay = std::chrono::milliseconds{0}; }
}  // namespace prtn_test

extern "C" __attribute__((visibility("default"))) int pthread_cond_wait(pthread_cond_t* condition, pthread_mutex_t* mutex) {
    using Real = int (*)(pthread_cond_t*, pthread_mutex_t*);
    static const auto real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "pthread_cond_wait"));
    if (t_delay.count() > 0) std::this_thread::sleep_for(t_delay);
    return real(condition, mutex);
}
