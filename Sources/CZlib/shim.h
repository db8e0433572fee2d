#ifndef SUNDIAL_CZLIB_SHIM_H
#define SUNDIAL_CZLIB_SHIM_H
#include <zlib.h>
#endif
