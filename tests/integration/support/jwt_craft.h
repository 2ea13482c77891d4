#pragma once
// Hand-made JWTs for negative auth tests (other algorithms, expired, wrong secret).

#include <cstdint>
#include <string>

namespace chathost::testing {

std::string base64Url(const std::string& bytes);
/// header.payload.signature with an HS256 signature over the first two parts keyed by `secret`;
/// an empty `secret` leaves the signature empty (as `alg: none` tokens do).
std::string craftJwt(const std::string& headerJson, const std::string& payloadJson,
                     const std::string& secret);
std::int64_t nowSeconds();

}  // namespace chathost::testing
