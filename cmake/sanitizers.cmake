if(BULWARK_SANITIZE)
  # -O0 with line tables: GCC 12 takes about five times longer to build a Beast or CLI11 file
  # with both sanitizers at -O2 -g than at -O0 -g1, and CI has a time limit. Reports still name
  # file and line.
  set(CMAKE_C_FLAGS_RELWITHDEBINFO "-O0 -g1 -DNDEBUG")
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O0 -g1 -DNDEBUG")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

if(BULWARK_LIBFUZZER)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BULWARK_LIBFUZZER needs clang: CC=clang CXX=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
