#pragma once
// A raw TCP server for the retry rule: on each connection it answers the first request (keep-alive)
// and closes the connection, unanswered, when a second request arrives on it.

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <string>
#include <thread>

namespace chathost::host::testing {

class ScriptedServer {
 public:
  ScriptedServer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    thread_ = std::thread([this] { run(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
  }
  int port() const { return socket_.address().port(); }
  int connections() const { return connections_; }
  int requests() const { return requests_; }

 private:
  void run() {
    while (!stop_) {
      try {
        if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket connection = socket_.acceptConnection();
        ++connections_;
        serve(connection);
      } catch (const Poco::Exception&) {
      }
    }
  }

  void serve(Poco::Net::StreamSocket& connection) {
    connection.setReceiveTimeout(Poco::Timespan(5, 0));
    for (int n = 0; readRequest(connection); ++n) {
      ++requests_;
      if (n > 0) break;  // the second request: hang up without a word
      const std::string reply =
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok";
      connection.sendBytes(reply.data(), static_cast<int>(reply.size()));
    }
    connection.close();
  }

  // Reads one request (head and Content-Length body); false at end of stream.
  static bool readRequest(Poco::Net::StreamSocket& connection) {
    std::string data;
    char buffer[4096];
    std::size_t headEnd;
    while ((headEnd = data.find("\r\n\r\n")) == std::string::npos) {
      int n = connection.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) return false;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    std::string head = data.substr(0, headEnd);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::size_t length = 0;
    if (auto at = head.find("content-length:"); at != std::string::npos) {
      length = std::stoul(head.substr(at + 15));
    }
    while (data.size() < headEnd + 4 + length) {
      int n = connection.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) return false;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }

  Poco::Net::ServerSocket socket_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace chathost::host::testing
