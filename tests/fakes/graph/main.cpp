// fake_graph: serves FakeGraph over HTTP on loopback for integration, browser and load tests.
// Usage: fake_graph [--port N] [--account TOKEN:IG_ID:PAGE_ID:USERNAME[:TYPE]]...
//                   [--page TOKEN:PAGE_ID:NAME]... [--user TOKEN:USER_ID:NAME]...
// (--page: a Facebook Page messaged through Messenger; --user: a person's user token.)
// Prints "fake graph listening on http://127.0.0.1:PORT" once ready; stops on SIGINT/SIGTERM.
// The Graph routes are version-prefixed (/v21.0/...); Instagram Login's consent page, token
// endpoint and token exchanges live at the root of the same base URL (/oauth/authorize,
// /oauth/access_token, /access_token, /refresh_access_token). Control routes: /_fake/...

#include "fake_graph.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <csignal>
#include <iostream>
#include <sstream>
#include <thread>

namespace {

using chathost::fakes::FakeGraph;

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeGraph& graph) : graph_(graph) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& res) override {
    chathost::fakes::FakeRequest r;
    r.method = req.getMethod();
    Poco::URI uri(req.getURI());
    r.path = uri.getPath();
    for (const auto& [k, v] : uri.getQueryParameters()) r.query[k] = v;
    r.authorization = req.get("Authorization", "");
    r.contentType = req.get("Content-Type", "");
    std::ostringstream body;
    Poco::StreamCopier::copyStream(req.stream(), body);
    r.body = body.str();
    const auto out = graph_.handle(r);
    if (out.hangMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(out.hangMs));
    res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
    res.setContentType(out.contentType);
    for (const auto& [name, value] : out.headers) res.set(name, value);
    res.setContentLength(static_cast<std::streamsize>(out.body.size()));
    res.send() << out.body;
  }

 private:
  FakeGraph& graph_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeGraph& graph) : graph_(graph) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(graph_);
  }

 private:
  FakeGraph& graph_;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, sep)) out.push_back(part);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  FakeGraph graph;
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc) {
      port = std::stoi(argv[++i]);
    } else if (a == "--account" && i + 1 < argc) {
      auto f = split(argv[++i], ':');
      if (f.size() < 4) {
        std::cerr << "--account needs TOKEN:IG_ID:PAGE_ID:USERNAME[:TYPE]\n";
        return 2;
      }
      graph.addAccount({f[0], f[1], f[2], f[3], f[3], f.size() > 4 ? f[4] : "BUSINESS"});
    } else if ((a == "--page" || a == "--user") && i + 1 < argc) {
      auto f = split(argv[++i], ':');
      if (f.size() != 3) {
        std::cerr << a << " needs TOKEN:ID:NAME\n";
        return 2;
      }
      chathost::fakes::FakeAccount account;
      account.token = f[0];
      account.name = f[2];
      if (a == "--page") {
        account.kind = chathost::fakes::FakeAccountKind::kPage;
        account.pageId = f[1];
      } else {
        account.kind = chathost::fakes::FakeAccountKind::kUser;
        account.igId = f[1];
      }
      graph.addAccount(account);
    } else {
      std::cerr << "usage: fake_graph [--port N] [--account TOKEN:IG_ID:PAGE_ID:USERNAME[:TYPE]]"
                   " [--page TOKEN:PAGE_ID:NAME] [--user TOKEN:USER_ID:NAME]\n";
      return 2;
    }
  }
  Poco::Net::ServerSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setKeepAlive(true);
  Poco::Net::HTTPServer server(new Factory(graph), socket, params);
  server.start();
  std::cout << "fake graph listening on http://127.0.0.1:" << socket.address().port() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  server.stopAll(true);
  return 0;
}
