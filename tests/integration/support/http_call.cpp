#include "support/http_call.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

namespace chathost::testing {

HttpResult httpCall(const std::string& method, const std::string& url, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    int timeoutMs) {
  HttpResult result;
  try {
    Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
    Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) request.set(k, v);
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      if (!request.has("Content-Type")) request.setContentType("application/json");
    }
    std::ostream& os = session.sendRequest(request);
    os.write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse response;
    std::istream& is = session.receiveResponse(response);
    std::ostringstream ss;
    Poco::StreamCopier::copyStream(is, ss);
    result.status = response.getStatus();
    result.body = ss.str();
    result.contentType = response.getContentType();
    for (const auto& [k, v] : response) result.headers.emplace_back(k, v);
  } catch (const Poco::Exception& e) {
    result.error = e.displayText();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace chathost::testing
