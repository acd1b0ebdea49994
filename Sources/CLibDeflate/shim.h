// The part of libdeflate's stable C API (soname libdeflate.so.0, MIT licence; see
// https://github.com/ebiggers/libdeflate, libdeflate.h) that seqport's ZIP writer calls. Declared here so
// the build needs only the runtime package (Debian libdeflate0), not libdeflate-dev.
#ifndef SEQPORT_LIBDEFLATE_SHIM_H
#define SEQPORT_LIBDEFLATE_SHIM_H
#include <stddef.h>
#include <stdint.h>

struct libdeflate_compressor;

struct libdeflate_compressor *libdeflate_alloc_compressor(int compression_level);
size_t libdeflate_deflate_compress(struct libdeflate_compressor *compressor,
                                   const void *in, size_t in_nbytes,
                                   void *out, size_t out_nbytes_avail);
size_t libdeflate_deflate_compress_bound(struct libdeflate_compressor *compressor, size_t in_nbytes);
void libdeflate_free_compressor(struct libdeflate_compressor *compressor);
uint32_t libdeflate_crc32(uint32_t crc, const void *buffer, size_t len);

#endif
