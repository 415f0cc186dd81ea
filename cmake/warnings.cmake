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

# Asio's scheduler (Boost 1.74) and CLI11's option parsing trip GCC 12's -Wnull-dereference
# from inside their headers (a middle-end warning, so system-header status does not silence
# it). Only the files that instantiate them lose that one warning.
function(bulwark_third_party_null_warning_sources)
  set_source_files_properties(${ARGN} DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
                              PROPERTIES COMPILE_OPTIONS "-Wno-null-dereference")
endfunction()

