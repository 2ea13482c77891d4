#include <chathost/meta/qr.h>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <string>

using namespace chathost::meta;

namespace {
std::string decodeBase64(const std::string& in) {
  std::string out(in.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return {};
  std::size_t pad =
      in.size() >= 2 && in[in.size() - 1] == '=' ? (in[in.size() - 2] == '=' ? 2 : 1) : 0;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

// Runs zbarimg on `png` and returns what it decoded ("" when nothing).
std::string zbar(const std::string& png) {
  char path[] = "/tmp/meta-qr-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return {};
  close(fd);
  std::ofstream(path, std::ios::binary) << png;
  std::string cmd = std::string("zbarimg --quiet --raw ") + path + " 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  std::remove(path);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}
}  // namespace

TEST(Qr, DataUrlDecodesBackToTheText) {
  for (std::string text :
       {std::string("https://ig.me/m/shop"), std::string("https://m.me/100200300"),
        std::string("https://ig.me/m/caf%C3%A9.and_more")}) {
    auto url = qrDataUrl(text);
    ASSERT_TRUE(url.isOk());
    const std::string prefix = "data:image/png;base64,";
    ASSERT_EQ(url->rfind(prefix, 0), 0u);
    std::string b64 = url->substr(prefix.size());
    EXPECT_EQ(b64.find('\n'), std::string::npos);
    std::string png = decodeBase64(b64);
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
    EXPECT_EQ(zbar(png), text);
  }
}

TEST(Qr, RefusesTextTooLongForAQrCode) {
  EXPECT_FALSE(qrDataUrl(std::string(8000, 'x')).isOk());
}
