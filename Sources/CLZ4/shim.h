#ifndef SUNDIAL_CLZ4_SHIM_H
#define SUNDIAL_CLZ4_SHIM_H
#include <lz4.h>
#endif
