#pragma once
// One client connection of the HTTP server: reads requests with Beast's parser into its own
// buffer (no thread waits for bytes), enforces the request and idle timeouts, hands complete
// requests to the handler pool and writes the answers. Included only by the server.

#include <boost/asio/ip/tcp.hpp>

#include <chrono>

namespace chathost::host {

class Connection;
struct ServerCore;

/// Starts serving an accepted socket on its own strand. The connection keeps itself alive through
/// its pending operations; `core` holds a weak reference to it until it ends.
void serveConnection(ServerCore& core, boost::asio::ip::tcp::socket socket);
/// Stop: closes the connection unless a request of its own is being handled.
void closeConnectionIfIdle(Connection& connection);
/// Closes the connection, even under a request in progress.
void closeConnectionNow(Connection& connection);
/// Closes the connection if its current deadline (request, idle or linger time-out) has passed
/// by `now`. Any thread; the server's sweep calls it a few times a second.
void expireConnectionIfDue(Connection& connection, std::chrono::steady_clock::time_point now);

}  // namespace chathost::host
