// The outbound client with an egress guard: where it connects, what it refuses, what it sends.
#include "outbound/egress_guard.h"
#include "outbound/poco_http_client.h"

#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace chathost::host {
namespace {

// Answers every request on 127.0.0.1 with 200 "ok" (or a 302 to itself) and records the Host
// header of the last one.
class RecordingServer {
 public:
  explicit RecordingServer(bool redirect = false)
      : redirect_(redirect), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    thread_ = std::thread([this] { run(); });
  }
  ~RecordingServer() {
    stop_ = true;
    thread_.join();
  }
  int port() const { return socket_.address().port(); }
  int requests() const { return requests_; }
  std::string lastHost() {
    std::lock_guard lock(mutex_);
    return lastHost_;
  }
  /// The bytes of the first read on the last connection (a TLS ClientHello, say).
  std::string firstBytes() {
    std::lock_guard lock(mutex_);
    return firstBytes_;
  }

 private:
  void run() {
    while (!stop_) {
      try {
        if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket connection = socket_.acceptConnection();
        connection.setReceiveTimeout(Poco::Timespan(5, 0));
        std::string head;
        char buffer[4096];
        while (head.find("\r\n\r\n") == std::string::npos) {
          int n = connection.receiveBytes(buffer, sizeof buffer);
          if (n <= 0) break;
          if (head.empty()) {
            std::lock_guard lock(mutex_);
            firstBytes_.assign(buffer, static_cast<std::size_t>(n));
          }
          head.append(buffer, static_cast<std::size_t>(n));
        }
        auto at = head.find("\r\nHost: ");
        {
          std::lock_guard lock(mutex_);
          lastHost_ = at == std::string::npos
                          ? ""
                          : head.substr(at + 8, head.find("\r\n", at + 8) - at - 8);
        }
        ++requests_;
        const std::string reply =
            redirect_
                ? "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + std::to_string(port()) +
                      "/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        connection.sendBytes(reply.data(), static_cast<int>(reply.size()));
        connection.close();
      } catch (const Poco::Exception&) {
      }
    }
  }

  bool redirect_;
  Poco::Net::ServerSocket socket_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::string lastHost_;
  std::string firstBytes_;
};

// A resolver that knows a few names and counts its lookups.
struct FakeDns {
  std::map<std::string, std::vector<IpAddress>> names;
  std::shared_ptr<std::atomic<int>> lookups = std::make_shared<std::atomic<int>>(0);

  HostResolver resolver() const {
    auto table = names;
    auto counter = lookups;
    return [table, counter](const std::string& host) -> sdk::Result<std::vector<IpAddress>> {
      ++*counter;
      auto it = table.find(host);
      if (it == table.end()) return sdk::Status(sdk::ErrorCode::kUnavailable, "no such name");
      return it->second;
    };
  }
};

PocoHttpClient clientWith(const std::vector<std::string>& allow, HostResolver resolver) {
  HttpClientOptions options;
  options.egress = std::make_shared<EgressGuard>(*EgressPolicy::fromCidrs(allow), resolver);
  return PocoHttpClient(options);
}

sdk::HttpRequest get(const std::string& url) {
  sdk::HttpRequest r;
  r.url = url;
  r.timeoutMs = 3000;
  return r;
}

TEST(EgressClient, ConnectsToTheCheckedAddressAndKeepsTheHostName) {
  RecordingServer server;
  FakeDns dns;
  dns.names["agent.example"] = {IpAddress::v4(127, 0, 0, 1)};
  HttpClientOptions options;
  options.egress =
      std::make_shared<EgressGuard>(*EgressPolicy::fromCidrs({"127.0.0.0/8"}), dns.resolver());
  PocoHttpClient client(options);

  // "agent.example" exists only in the fake resolver: reaching the server proves the client
  // connected to the address the guard returned instead of resolving the name itself.
  auto response = client.send(get("http://agent.example:" + std::to_string(server.port()) + "/"));
  ASSERT_TRUE(response) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(server.lastHost(), "agent.example:" + std::to_string(server.port()));
  EXPECT_EQ(*dns.lookups, 1);
}

TEST(EgressClient, RefusesANameThatResolvesToLoopbackWithoutConnecting) {
  RecordingServer server;
  FakeDns dns;
  dns.names["rebind.example"] = {IpAddress::v4(127, 0, 0, 1)};
  auto client = clientWith({}, dns.resolver());

  auto response =
      client.send(get("http://rebind.example:" + std::to_string(server.port()) + "/secret"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.status().code(), sdk::ErrorCode::kForbidden);
  const std::string message = response.status().message();
  EXPECT_NE(message.find("rebind.example"), std::string::npos) << message;
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_NE(message.find("loopback"), std::string::npos) << message;
  EXPECT_EQ(server.requests(), 0);
}

TEST(EgressClient, OnePrivateAddressAmongPublicOnesRefusesTheName) {
  FakeDns dns;
  dns.names["mixed.example"] = {IpAddress::v4(8, 8, 8, 8), IpAddress::v4(10, 0, 0, 1)};
  auto client = clientWith({}, dns.resolver());
  auto response = client.send(get("http://mixed.example/"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.status().code(), sdk::ErrorCode::kForbidden);
  EXPECT_NE(response.status().message().find("10.0.0.1"), std::string::npos);
}

TEST(EgressGuard, EveryAddressIsCheckedAndIpv4IsPreferred) {
  FakeDns dns;
  const auto v6 = *parseCanonicalIp("2606:4700::1111");
  dns.names["dual.example"] = {v6, IpAddress::v4(8, 8, 4, 4)};
  dns.names["v6only.example"] = {v6};
  dns.names["loopback.example"] = {*parseCanonicalIp("::1"), IpAddress::v4(127, 0, 0, 1)};
  EgressGuard guard(*EgressPolicy::fromCidrs({"127.0.0.0/8"}), dns.resolver());
  auto dual = guard.addressFor("dual.example");
  ASSERT_TRUE(dual);
  EXPECT_EQ(*dual, IpAddress::v4(8, 8, 4, 4));
  auto v6only = guard.addressFor("v6only.example");
  ASSERT_TRUE(v6only);
  EXPECT_EQ(*v6only, v6);
  // 127/8 is allowed but ::1 is not: the name is refused as a whole.
  auto refused = guard.addressFor("loopback.example");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("::1"), std::string::npos);
  auto unknown = guard.addressFor("nowhere.example");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), sdk::ErrorCode::kUnavailable);
}

TEST(EgressClient, OddLiteralFormsOfLoopbackAreRefusedWithTheSystemResolver) {
  RecordingServer server;
  auto client = clientWith({}, resolveWithSystem);
  const std::string port = std::to_string(server.port());
  for (const std::string host :
       {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]",
        "[::1]", "localhost", "LOCALHOST", "0.0.0.0", "evil.example@127.0.0.1"}) {
    auto response = client.send(get("http://" + host + ":" + port + "/"));
    ASSERT_FALSE(response) << host;
    EXPECT_EQ(response.status().code(), sdk::ErrorCode::kForbidden)
        << host << ": " << response.status().message();
  }
  // Refused, or not resolvable at all (depending on the resolver's configuration): either way no
  // connection. The URL parser leaves a percent-encoded host as it is.
  for (const std::string host : {"localhost.", "127.0.0.1.", "%31%32%37.0.0.1"}) {
    EXPECT_FALSE(client.send(get("http://" + host + ":" + port + "/"))) << host;
  }
  EXPECT_EQ(server.requests(), 0);
}

TEST(EgressClient, AllowedLoopbackLiteralsConnect) {
  RecordingServer server;
  auto client = clientWith({"127.0.0.0/8"}, resolveWithSystem);
  auto response = client.send(get("http://2130706433:" + std::to_string(server.port()) + "/"));
  ASSERT_TRUE(response) << response.status().message();
  EXPECT_EQ(response->status, 200);
}

TEST(EgressClient, RedirectsAreReturnedNotFollowed) {
  RecordingServer server(/*redirect=*/true);
  auto client = clientWith({"127.0.0.0/8"}, resolveWithSystem);
  auto response = client.send(get("http://127.0.0.1:" + std::to_string(server.port()) + "/"));
  ASSERT_TRUE(response) << response.status().message();
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(server.requests(), 1);
}

TEST(EgressClient, TlsNamesTheUrlsHostNotTheAddress) {
  FakeDns dns;
  dns.names["secure.example"] = {IpAddress::v4(127, 0, 0, 1)};
  auto client = clientWith({"127.0.0.0/8"}, dns.resolver());
  RecordingServer plain;  // never answers the handshake: only the ClientHello is looked at
  auto request = get("https://secure.example:" + std::to_string(plain.port()) + "/");
  request.timeoutMs = 500;
  auto response = client.send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(*dns.lookups, 1);
  // The server name indication travels in clear in the ClientHello; the certificate is checked
  // against the same peer name.
  EXPECT_NE(plain.firstBytes().find("secure.example"), std::string::npos);
}

TEST(EgressClient, WithoutAGuardTheClientConnectsAnywhere) {
  RecordingServer server;
  PocoHttpClient client;  // the plugins' client: the operator configures its URLs
  auto response = client.send(get("http://127.0.0.1:" + std::to_string(server.port()) + "/"));
  ASSERT_TRUE(response) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(server.lastHost(), "127.0.0.1:" + std::to_string(server.port()));
}

}  // namespace
}  // namespace chathost::host
