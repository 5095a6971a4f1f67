// graph_locks.cpp — interposes mlock for the whole test binary (as late_waits.cpp does
// pthread_cond_wait) and counts the calls that lock a segment of 1 MiB or more: the server's
// port graph (107 MB with jackd's defaults); libjack's other segments are a few hundred bytes.
#include "graph_locks.hpp"

#include <dlfcn.h>
#include <sys/mman.h>

#include <atomic>
#include <cstddef>

namespace {
std::atomic<int> g_graph_locks{0};
}

namespace prtn_test {
GraphLocks::GraphLocks() { g_graph_locks = 0; }
int GraphLocks::count() const { return g_graph_locks.load(); }
}  // namespace prtn_test

extern "C" __attribute__((visibility("default"))) int mlock(const void* address, size_t length) {
    using Real = int (*)(const void*, size_t);
    static const auto real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "mlock"));
    if (length >= (size_t{1} << 20)) ++g_graph_locks;
    return real(address, length);
}
