#ifndef SUNDIAL_CRC32C_HARDWARE_H
#define SUNDIAL_CRC32C_HARDWARE_H
#include <stddef.h>
#include <stdint.h>

/// Nonzero when this CPU has CRC-32C instructions (SSE4.2 on x86_64, the CRC extension on aarch64)
/// and this build knows how to use them.
int sundial_crc32c_hardware_available(void);

/// Continues a CRC-32C (Castagnoli, reflected 0x82F63B78) over `count` bytes at `bytes` with the CPU's
/// instructions. `crc` is the running register, already inverted (~seed), and so is the result.
/// Call only when sundial_crc32c_hardware_available() returned nonzero.
uint32_t sundial_crc32c_hardware_update(uint32_t crc, const void *bytes, size_t count);

#endif
