// late_waits.hpp — makes this thread's pthread_cond_wait calls start late, as if the thread had
// been descheduled just before each: the window a lost wake-up needs (late_waits.cpp).
#pragma once

#include <chrono>

namespace prtn_test {

class LateConditionWaits {
public:
    explicit LateConditionWaits(std::chrono::milliseconds delay);
    ~LateConditionWaits();
    LateConditionWaits(const LateConditionWaits&) = delete;
    LateConditionWaits& operator=(const LateConditionWaits&) = delete;
};

}  // namespace prtn_test
