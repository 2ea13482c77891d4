// Filled in by the tests below; see CMakeLists.txt.
