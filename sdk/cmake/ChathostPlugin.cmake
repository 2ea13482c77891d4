# chathost_add_plugin(<target> <sources>...)
# Builds a chathost channel plugin the way the host expects to load it: a MODULE library named
# lib<target>.so with hidden visibility, no STB_GNU_UNIQUE symbols (they would keep it from
# unloading) and every symbol resolved at link time. When CHATHOST_PLUGIN_OUTPUT_DIR is set, the
# library is written there (the host tree sets it to <build>/lib/chathost/plugins, where the
# host looks for `libchathost_<name>.so`).
function(chathost_add_plugin target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE chathost::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(CHATHOST_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY
      ${CHATHOST_PLUGIN_OUTPUT_DIR})
  endif()
  # g++ only: clang emits no STB_GNU_UNIQUE symbols.
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
