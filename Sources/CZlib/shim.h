// zlib's public header: Debian's zlib1g-dev on Linux, the SDK's copy on macOS.
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>
#endif
