#include "common/host_text.h"

#include <gtest/gtest.h>

using chathost::host::isHostAndPortText;

TEST(HostText, HostsWithPortsAndIpv6LiteralsAreAccepted) {
  for (const char* ok : {"chat.example.com", "127.0.0.1:8080", "[::1]:8080", "a-b.c", "localhost"})
    EXPECT_TRUE(isHostAndPortText(ok)) << ok;
}

TEST(HostText, PathsQueriesUserinfoAndControlCharactersAreRefused) {
  for (const char* bad : {"", "a/b", "a?b", "a#b", "user@host", "a b", "host\r\nX: y", "é.com",
                          "host%2f"})
    EXPECT_FALSE(isHostAndPortText(bad)) << bad;
}
