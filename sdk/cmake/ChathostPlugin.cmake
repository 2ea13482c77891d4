# chathost_add_plugin(<target> <sources>...)
# Builds a chathost channel plugin the way the host expects to load it: a MODULE library with
# hidden visibility, no STB_GNU_UNIQUE symbols (they would keep it from unloading) and every
# symbol resolved at link time.
function(chathost_add_plugin target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE chathost::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(${target} PRIVATE -fno-gnu-unique)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
