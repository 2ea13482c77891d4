#pragma once
// AES-256-GCM encryption of secrets at rest, the ciphertext bound to its row through AAD.

#include <chathost/sdk/status.h>

#include <string>

namespace chathost::host {

/// Holds the 32-byte key. Immutable after construction: thread-safe.
class SecretCipher {
 public:
  /// Reads the key from `keyFile` (32 raw bytes or 64 hex characters), creating it with a random
  /// key and mode 0600 when missing. Refuses a file of any other size or readable by others.
  static sdk::Result<SecretCipher> fromKeyFile(const std::string& keyFile);
  /// `key` must be 32 bytes.
  static sdk::Result<SecretCipher> fromKey(const std::string& key);

  /// Encrypts `plaintext`; `aad` (e.g. "tenant-connection:<subaccountId>:<agentId>:<channel>:
  /// accessToken") must be given again to decrypt. Output is printable text ("v1:" + base64 of
  /// nonce|ciphertext|tag).
  sdk::Result<std::string> encrypt(const std::string& plaintext, const std::string& aad) const;
  /// Fails with kInternal ("secret cannot be decrypted: wrong key or tampered data") when the key,
  /// the aad or the data do not match: never returns garbage.
  sdk::Result<std::string> decrypt(const std::string& ciphertext, const std::string& aad) const;

 private:
  explicit SecretCipher(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace chathost::host
