// The libFuzzer entry point every target defines (declared once, for -Wmissing-declarations).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
