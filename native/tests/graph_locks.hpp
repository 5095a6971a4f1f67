// graph_locks.hpp — counts the times libjack maps and locks a JACK server's port graph into this
// process (graph_locks.cpp): once per client open unless another client of the process keeps
// the graph mapped.
#pragma once

namespace prtn_test {

class GraphLocks {
public:
    GraphLocks();  // counts from 0
    int count() const;
};

}  // namespace prtn_test
