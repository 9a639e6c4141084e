// ISA-L's gzip inflate when the build finds it (`libisal-dev`; `-lisal` then comes from pkg-config), and
// zlib alone otherwise: pare builds on a machine without ISA-L, only slower. Swift sees only these
// wrappers, so the same code compiles either way.
#ifndef PARE_CISAL_SHIM_H
#define PARE_CISAL_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

// `-Xcc -DPARE_WITHOUT_ISAL` builds the zlib-only variant on a machine that has ISA-L (to test it).
#if !defined(PARE_WITHOUT_ISAL) && __has_include(<isa-l/igzip_lib.h>) && __has_include(<isa-l/crc.h>)
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#define PARE_HAS_ISAL 1
#else
#define PARE_HAS_ISAL 0
#endif

/// An ISA-L inflate state (opaque).
typedef struct pare_isal pare_isal;

/// A new state, or NULL when pare was built without ISA-L.
static inline pare_isal *pare_isal_create(void) {
#if PARE_HAS_ISAL
    return (pare_isal *)malloc(sizeof(struct inflate_state));
#else
    return NULL;
#endif
}

static inline void pare_isal_destroy(pare_isal *state) { free(state); }

/// Starts the first gzip member of a file (`first` 1) or the next one (`first` 0).
static inline void pare_isal_start(pare_isal *state, int first) {
#if PARE_HAS_ISAL
    struct inflate_state *s = (struct inflate_state *)state;
    if (first) {
        isal_inflate_init(s);
    } else {
        isal_inflate_reset(s);
    }
    s->crc_flag = ISAL_GZIP;
#else
    (void)state;
    (void)first;
#endif
}

/// Whether the current member ended (its trailer checked).
static inline int pare_isal_finished(const pare_isal *state) {
#if PARE_HAS_ISAL
    return ((const struct inflate_state *)state)->block_state == ISAL_BLOCK_FINISH;
#else
    (void)state;
    return 1;
#endif
}

/// Inflates from `in` into `out`; `*in_left` and `*out_left` get what is left of each. 0 when it went
/// on normally (more input or output space needed, or the member ended), -1 on anything else.
static inline int pare_isal_inflate(
    pare_isal *state, const uint8_t *in, uint32_t in_count, uint8_t *out, uint32_t out_count, uint32_t *in_left,
    uint32_t *out_left) {
#if PARE_HAS_ISAL
    struct inflate_state *s = (struct inflate_state *)state;
    s->next_in = (uint8_t *)in;
    s->avail_in = in_count;
    s->next_out = out;
    s->avail_out = out_count;
    int status = isal_inflate(s);
    *in_left = s->avail_in;
    *out_left = s->avail_out;
    return status == ISAL_DECOMP_OK || status == ISAL_END_INPUT || status == ISAL_OUT_OVERFLOW ? 0 : -1;
#else
    (void)state;
    (void)in;
    (void)out;
    *in_left = in_count;
    *out_left = out_count;
    return -1;
#endif
}

/// zlib's `crc32` (ISA-L's faster one when present: the same values).
static inline uint32_t pare_crc32(uint32_t crc, const uint8_t *bytes, uint64_t count) {
#if PARE_HAS_ISAL
    return crc32_gzip_refl(crc, bytes, count);
#else
    return (uint32_t)crc32(crc, bytes, (uInt)count);
#endif
}

/// zlib's `adler32` (ISA-L's faster one when present: the same values).
static inline uint32_t pare_adler32(uint32_t adler, const uint8_t *bytes, uint64_t count) {
#if PARE_HAS_ISAL
    return isal_adler32(adler, bytes, count);
#else
    return (uint32_t)adler32(adler, bytes, (uInt)count);
#endif
}

#endif
