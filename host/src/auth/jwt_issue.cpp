#include <Poco/JSON/Array.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "auth/jwt.h"

namespace chathost::host {

std::string issueToken(const std::string& secret, const std::string& sub,
                       const std::vector<std::string>& subaccounts, std::int64_t ttlSeconds,
                       std::int64_t nowSeconds) {
  try {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(sub);
    Poco::JSON::Array::Ptr granted = new Poco::JSON::Array;
    for (const std::string& id : subaccounts) granted->add(id);
    token.payload().set("subaccounts", granted);
    // Set as integers: Token::setIssuedAt/setExpiration would write fractional seconds.
    token.payload().set("iat", static_cast<Poco::Int64>(nowSeconds));
    token.payload().set("exp", static_cast<Poco::Int64>(nowSeconds + ttlSeconds));
    Poco::JWT::Signer signer(secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
  } catch (...) {
    return {};
  }
}

}  // namespace chathost::host
