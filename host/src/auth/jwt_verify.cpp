// Verification of HS256 tokens. Hand-rolled on purpose: Poco::JWT's verify() ignores exp/nbf,
// throws for foreign algorithms and accepts non-canonical base64 signatures.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <optional>

#include "auth/bearer.h"
#include "auth/hmac_sha256.h"
#include "auth/jwt.h"
#include "secrets/encoding.h"

namespace chathost::host {
namespace {

constexpr std::size_t kSignatureBytes = 32;
// Beyond any real date; keeps exp + leeway far from int64 overflow.
constexpr double kMaxNumericDate = 1e15;

sdk::Status unauthorized(std::string message) {
  return {sdk::ErrorCode::kUnauthorized, std::move(message)};
}

const sdk::Status& malformed() {
  static const sdk::Status kMalformed = unauthorized("malformed token");
  return kMalformed;
}

/// Decodes one base64url part into a JSON object; nullptr when it is anything else.
Poco::JSON::Object::Ptr decodeJsonObject(std::string_view part) {
  std::optional<std::string> json = decodeBase64(part, Base64Alphabet::kUrl);
  if (!json) return nullptr;
  Poco::JSON::Parser parser;
  Poco::Dynamic::Var parsed = parser.parse(*json);
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

/// A NumericDate claim as whole seconds; nullopt when it is not a JSON number in range.
std::optional<std::int64_t> numericDate(const Poco::Dynamic::Var& value) {
  if (value.isEmpty() || value.isString() || value.isBoolean() || !value.isNumeric()) {
    return std::nullopt;
  }
  const double d = value.convert<double>();
  if (!std::isfinite(d) || std::fabs(d) > kMaxNumericDate) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(d));
}

/// Reads an optional NumericDate claim into `out`; an error when present but not a number.
sdk::Status readDate(const Poco::JSON::Object& payload, const std::string& name,
                     std::int64_t& out) {
  if (!payload.has(name)) return sdk::Status::ok();
  std::optional<std::int64_t> date = numericDate(payload.get(name));
  if (!date) return unauthorized("token " + name + " claim must be a number");
  out = *date;
  return sdk::Status::ok();
}

sdk::Result<Claims> readClaims(const Poco::JSON::Object& payload) {
  Claims claims;
  if (!payload.has("exp")) return unauthorized("token has no exp claim");
  if (sdk::Status s = readDate(payload, "exp", claims.exp); !s) return s;
  if (sdk::Status s = readDate(payload, "nbf", claims.nbf); !s) return s;

  if (payload.has("sub")) {
    const Poco::Dynamic::Var sub = payload.get("sub");
    if (!sub.isString()) return unauthorized("token sub claim must be a string");
    claims.sub = sub.extract<std::string>();
  }
  if (payload.has("subaccounts")) {
    static const char* kNotStrings = "token subaccounts claim must be an array of strings";
    Poco::JSON::Array::Ptr list = payload.getArray("subaccounts");
    if (!list) return unauthorized(kNotStrings);
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Poco::Dynamic::Var item = list->get(static_cast<unsigned>(i));
      if (!item.isString()) return unauthorized(kNotStrings);
      claims.subaccounts.push_back(item.extract<std::string>());
    }
  }
  return claims;
}

sdk::Result<Claims> verifyTokenUnguarded(std::string_view token, const std::string& secret,
                                         std::int64_t nowSeconds) {
  if (token.empty()) return unauthorized("missing bearer token");
  if (token.size() > kMaxTokenBytes) return unauthorized("token is too long");
  const std::size_t firstDot = token.find('.');
  const std::size_t secondDot =
      firstDot == std::string_view::npos ? firstDot : token.find('.', firstDot + 1);
  if (secondDot == std::string_view::npos || token.find('.', secondDot + 1) != token.npos) {
    return malformed();
  }
  const std::string_view headerPart = token.substr(0, firstDot);
  const std::string_view payloadPart = token.substr(firstDot + 1, secondDot - firstDot - 1);
  const std::string_view signaturePart = token.substr(secondDot + 1);

  Poco::JSON::Object::Ptr header = decodeJsonObject(headerPart);
  if (!header) return malformed();
  const Poco::Dynamic::Var alg = header->has("alg") ? header->get("alg") : Poco::Dynamic::Var();
  if (!alg.isString() || alg.extract<std::string>() != "HS256") {
    return unauthorized("token algorithm must be HS256");
  }
  if (header->has("crit")) return unauthorized("token header has unsupported crit parameters");

  std::optional<std::string> signature = decodeBase64(signaturePart, Base64Alphabet::kUrl);
  const std::string expected = hmacSha256(secret, token.substr(0, secondDot));
  if (!signature || signature->size() != kSignatureBytes || expected.size() != kSignatureBytes ||
      !constantTimeEquals(*signature, expected)) {
    return unauthorized("token signature is invalid");
  }

  Poco::JSON::Object::Ptr payload = decodeJsonObject(payloadPart);
  if (!payload) return malformed();
  sdk::Result<Claims> claims = readClaims(*payload);
  if (!claims) return claims;
  if (sdk::Status s = checkTokenTimes(*claims, nowSeconds); !s) return s;
  return claims;
}

}  // namespace

sdk::Status checkTokenTimes(const Claims& claims, std::int64_t nowSeconds) {
  if (nowSeconds >= claims.exp + kJwtLeewaySeconds) return unauthorized("token has expired");
  if (nowSeconds + kJwtLeewaySeconds < claims.nbf) return unauthorized("token is not valid yet");
  return sdk::Status::ok();
}

sdk::Result<Claims> verifyToken(std::string_view token, const std::string& secret,
                                std::int64_t nowSeconds) {
  if (secret.empty()) return sdk::Status::internal("no JWT secret is configured");
  try {
    return verifyTokenUnguarded(token, secret, nowSeconds);
  } catch (...) {
    // The JSON parser throws on syntax errors; whatever the cause, the token is unusable.
    return malformed();
  }
}

sdk::Result<Claims> verifyBearer(std::string_view authorizationHeader, const std::string& secret,
                                 std::int64_t nowSeconds) {
  sdk::Result<std::string_view> token = extractBearerToken(authorizationHeader);
  if (!token) return token.status();
  return verifyToken(*token, secret, nowSeconds);
}

}  // namespace chathost::host
