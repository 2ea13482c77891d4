// A libFuzzer-compatible driver for compilers without libFuzzer (the main g++ build): feeds every
// corpus file given on the command line to LLVMFuzzerTestOneInput, then `-runs=N` inputs made by
// simple mutations of them (bit flips, byte edits, truncation, splicing), from a fixed seed so a
// failure repeats. Prints the input of a failing run as hex before the check aborts.
//
//   <target>_replay [-runs=N] [-seed=S] <file or directory>...

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

const std::string* gCurrent = nullptr;

void printCurrent() {
  if (gCurrent == nullptr) return;
  std::fprintf(stderr, "input (%zu bytes, hex): ", gCurrent->size());
  for (unsigned char c : *gCurrent) std::fprintf(stderr, "%02x", c);
  std::fprintf(stderr, "\n");
}

void onAbort(int) {
  printCurrent();
  std::_Exit(1);
}

void run(const std::string& input) {
  gCurrent = &input;
  // A copy in its own allocation, so reads past the end are caught by sanitizers where enabled.
  std::vector<std::uint8_t> bytes(input.begin(), input.end());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  gCurrent = nullptr;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string mutate(const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  std::string s = corpus.empty() ? std::string() : corpus[pick(corpus.size())];
  const int edits = 1 + static_cast<int>(pick(4));
  static const char* const kTokens[] = {"\r\n",
                                        "\"",
                                        "{",
                                        "}",
                                        "[",
                                        "]",
                                        ":",
                                        ",",
                                        "%",
                                        "%0",
                                        "\\u0000",
                                        "-1",
                                        "99999999999999999999",
                                        "\n",
                                        "${",
                                        "*",
                                        "/",
                                        ".",
                                        "\x00",
                                        "\xff",
                                        "null",
                                        "true"};
  for (int e = 0; e < edits; ++e) {
    switch (pick(7)) {
      case 0:  // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1:  // set a random byte
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(rng());
        break;
      case 2:  // insert a random byte
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pick(s.size() + 1)),
                 static_cast<char>(rng()));
        break;
      case 3:  // erase a range
        if (!s.empty()) {
          const std::size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<std::size_t>(16, s.size() - at)));
        }
        break;
      case 4:  // truncate
        s.resize(pick(s.size() + 1));
        break;
      case 5: {  // insert a token
        const char* t = kTokens[pick(std::size(kTokens))];
        s.insert(pick(s.size() + 1), std::string(t, std::max<std::size_t>(1, std::strlen(t))));
        break;
      }
      default: {  // splice with another corpus entry
        if (corpus.empty()) break;
        const std::string& other = corpus[pick(corpus.size())];
        s = s.substr(0, pick(s.size() + 1)) + other.substr(pick(other.size() + 1));
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 0;
  unsigned long long seed = 1;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("-runs=", 0) == 0) {
      runs = std::atol(arg.c_str() + 6);
    } else if (arg.rfind("-seed=", 0) == 0) {
      seed = std::strtoull(arg.c_str() + 6, nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
        if (entry.is_regular_file()) corpus.push_back(readFile(entry.path()));
    } else if (std::filesystem::is_regular_file(arg)) {
      corpus.push_back(readFile(arg));
    } else {
      std::fprintf(stderr, "no such corpus file or directory: %s\n", arg.c_str());
      return 2;
    }
  }
  std::signal(SIGABRT, onAbort);
  run(std::string());
  for (const auto& input : corpus) run(input);
  std::mt19937_64 rng(seed);
  for (long i = 0; i < runs; ++i) run(mutate(corpus, rng));
  std::printf("replayed %zu corpus inputs and %ld mutations\n", corpus.size(), runs);
  return 0;
}
