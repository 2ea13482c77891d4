#include <chathost/meta/qr.h>

#include <openssl/evp.h>
#include <png.h>
#include <qrencode.h>

#include <memory>
#include <vector>

namespace chathost::meta {

namespace {
constexpr int kPixelsPerModule = 8;
constexpr int kMarginModules = 4;

void appendToVector(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::vector<unsigned char>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}
void noFlush(png_structp) {}

// Grayscale PNG of the QR matrix, or empty on failure. libpng reports errors with longjmp.
std::vector<unsigned char> renderPng(const QRcode& code) {
  std::vector<unsigned char> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return {};
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return {};
  }
  const int modules = code.width + 2 * kMarginModules;
  const int side = modules * kPixelsPerModule;
  std::vector<png_byte> row(static_cast<std::size_t>(side));
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return {};
  }
  png_set_write_fn(png, &out, appendToVector, noFlush);
  png_set_IHDR(png, info, side, side, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < side; ++y) {
    int my = y / kPixelsPerModule - kMarginModules;
    for (int x = 0; x < side; ++x) {
      int mx = x / kPixelsPerModule - kMarginModules;
      bool dark = mx >= 0 && my >= 0 && mx < code.width && my < code.width &&
                  (code.data[my * code.width + mx] & 1);
      row[static_cast<std::size_t>(x)] = dark ? 0 : 255;
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::string base64(const std::vector<unsigned char>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}
}  // namespace

sdk::Result<std::string> qrDataUrl(std::string_view text) {
  std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return sdk::Status::internal("could not encode the QR code");
  auto png = renderPng(*code);
  if (png.empty()) return sdk::Status::internal("could not render the QR code");
  return "data:image/png;base64," + base64(png);
}

}  // namespace chathost::meta
