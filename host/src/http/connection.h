#pragma once
// One client connection of the HTTP server: reads requests with Beast's parser into its own
// buffer (no thread waits for bytes), enforces the request and idle timeouts, hands complete
// requests to the handler pool and writes the answers. Included only by the server.

#include <boost/asio/ip/tcp.hpp>

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

}  // namespace chathost::host
