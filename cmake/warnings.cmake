# Warnings are errors everywhere in our own code; third-party headers come in as SYSTEM.
add_library(bulwark_warnings INTERFACE)
target_compile_options(bulwark_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
  -Wimplicit-fallthrough -Wmissing-declarations -Wnull-dereference
  -Wformat=2 -Wundef)

# Module libraries: one per src/<module>, linking exactly the dependencies DESIGN.md allows.
function(bulwark_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(bulwark_${name} STATIC ${ARG_SOURCES})
  add_library(bulwark::${name} ALIAS bulwark_${name})
  target_include_directories(bulwark_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(bulwark_${name} PUBLIC ${ARG_DEPS} PRIVATE bulwark_warnings)
endfunction()
