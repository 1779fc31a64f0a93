/*
 * Fuzz target: the Solomon/Homberger instance reader on arbitrary bytes
 * (tests/fuzz/fuzz_reader.h holds the shared body).
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return hw_fuzz_read_instance(data, size, HW_FORMAT_SOLOMON);
}
