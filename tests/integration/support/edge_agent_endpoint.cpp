#include "support/edge_agent_endpoint.h"

#include "support/edge_payloads.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

namespace chathost::testing::edge {

namespace {
bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

struct FakeAgentEndpoint::Impl {
  struct Behaviour {
    Mode mode = Mode::kReply;
    int hangMs = 0;
  };

  mutable std::mutex mutex;
  std::condition_variable released;
  bool stopping = false;
  std::map<std::string, Behaviour> behaviours;  // path suffix -> behaviour
  std::string reply = "ok";
  std::string httpAnswer;  // the whole http-agent answer, when set
  std::vector<RecordedRequest> requests;
  std::optional<Poco::Net::ServerSocket> socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;

  Behaviour behaviourFor(const std::string& path) const {
    for (const auto& [suffix, b] : behaviours)
      if (endsWith(path, suffix)) return b;
    return {};
  }

  void handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) {
    RecordedRequest r;
    r.method = req.getMethod();
    r.path = req.getURI();
    r.authorization = req.get("Authorization", "");
    r.contentType = req.getContentType();
    for (const auto& [k, v] : req) r.headers.emplace_back(k, v);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(req.stream(), body);
    r.body = body.str();
    Behaviour b;
    std::string text, answer;
    {
      std::unique_lock lock(mutex);
      requests.push_back(r);
      b = behaviourFor(r.path);
      text = reply;
      answer = httpAnswer;
      if (b.mode == Mode::kHang)
        released.wait_for(lock, std::chrono::milliseconds(b.hangMs), [&] { return stopping; });
    }
    std::string out;
    if (b.mode == Mode::kRedirect) {
      res.set("Location",
              "http://127.0.0.1:" + std::to_string(socket->address().port()) + "/redirected");
      res.setStatus(Poco::Net::HTTPResponse::HTTP_FOUND);
      out = "{\"reply\":\"from the redirect page\"}";
    } else if (b.mode == Mode::kFail) {
      res.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
      out = "{\"error\":{\"message\":\"the model is overloaded\"}}";
    } else if (endsWith(r.path, "/chat/completions")) {
      out =
          "{\"id\":\"chatcmpl-edge\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
          "\"message\":{\"role\":\"assistant\",\"content\":" +
          quote(text) + "},\"finish_reason\":\"stop\"}]}";
    } else {
      out = answer.empty() ? "{\"reply\":" + quote(text) + "}" : answer;
    }
    res.setContentType("application/json");
    res.setContentLength(static_cast<std::streamsize>(out.size()));
    res.send() << out;
  }
};

namespace {
class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(FakeAgentEndpoint::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& res) override {
    try {
      impl_.handle(req, res);
    } catch (...) {
      // The client gave up (time-out): nothing to answer.
    }
  }

 private:
  FakeAgentEndpoint::Impl& impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(FakeAgentEndpoint::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  FakeAgentEndpoint::Impl& impl_;
};
}  // namespace

FakeAgentEndpoint::FakeAgentEndpoint() : impl_(std::make_unique<Impl>()) {
  try {
    impl_->socket.emplace(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(16);
    impl_->server =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), *impl_->socket, params);
    impl_->server->start();
  } catch (...) {
    impl_->server.reset();
  }
}

FakeAgentEndpoint::~FakeAgentEndpoint() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->released.notify_all();
  if (impl_->server) impl_->server->stopAll(true);
}

bool FakeAgentEndpoint::ok() const {
  return impl_->server != nullptr;
}

std::string FakeAgentEndpoint::baseUrl() const {
  return "http://127.0.0.1:" + std::to_string(impl_->socket->address().port());
}

void FakeAgentEndpoint::setMode(const std::string& pathSuffix, Mode mode, int hangMs) {
  std::lock_guard lock(impl_->mutex);
  impl_->behaviours[pathSuffix] = {mode, hangMs};
}

void FakeAgentEndpoint::setReply(const std::string& text) {
  std::lock_guard lock(impl_->mutex);
  impl_->reply = text;
}

void FakeAgentEndpoint::setHttpAnswer(const std::string& json) {
  std::lock_guard lock(impl_->mutex);
  impl_->httpAnswer = json;
}

std::vector<RecordedRequest> FakeAgentEndpoint::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::vector<RecordedRequest> FakeAgentEndpoint::requestsTo(const std::string& pathSuffix) const {
  std::vector<RecordedRequest> out;
  for (auto& r : requests())
    if (endsWith(r.path, pathSuffix)) out.push_back(r);
  return out;
}

}  // namespace chathost::testing::edge
