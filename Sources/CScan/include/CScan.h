#ifndef PARE_CSCAN_H
#define PARE_CSCAN_H

// Vector kernels of the CloudTrail record scanner: finding the end of a string and of a container 16 or
// 64 bytes at a time, and whether a chunk is all ASCII. SSE2 (every x86-64), AVX2 for containers and
// chunks where the CPU has it (chosen once at start), with portable scalar fallbacks. Nothing here
// validates JSON.

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// ``pare_find_quote_or_backslash`` without vector instructions (what other CPUs run; tests compare them).
static inline const uint8_t *_Nonnull pare_find_quote_or_backslash_portable(const uint8_t *_Nonnull p,
                                                                            const uint8_t *_Nonnull end) {
    while (p < end && *p != '"' && *p != '\\') p++;
    return p;
}

/// ``pare_quote_or_backslash16`` without vector instructions.
static inline unsigned pare_quote_or_backslash16_portable(const uint8_t *_Nonnull p) {
    unsigned hits = 0;
    for (int i = 0; i < 16; i++) hits |= (unsigned)(p[i] == '"' || p[i] == '\\') << i;
    return hits;
}

/// The first `"` or `\` in `[p, end)`, or `end` when there is none. Inline: called for every string.
static inline const uint8_t *_Nonnull pare_find_quote_or_backslash(const uint8_t *_Nonnull p,
                                                                   const uint8_t *_Nonnull end) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned hits =
            (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        if (hits != 0) return p + __builtin_ctz(hits);
        p += 16;
    }
#endif
    return pare_find_quote_or_backslash_portable(p, end);
}

/// Bit i set when byte i of the 16 at `p` is `"` or `\`. The caller guarantees the 16 bytes.
static inline unsigned pare_quote_or_backslash16(const uint8_t *_Nonnull p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
#else
    return pare_quote_or_backslash16_portable(p);
#endif
}

/// Position just after the `{` or `[` that opens a container: the position just after the `}` or `]`
/// that closes it (brackets inside strings ignored, `\` escapes the next byte of a string), or NULL when
/// `end` comes first.
const uint8_t *_Nullable pare_skip_container(const uint8_t *_Nonnull p, const uint8_t *_Nonnull end);

/// The kernels this CPU runs, best last: 0 portable, 1 SSE2, 2 AVX2 (``pare_skip_container`` and
/// ``pare_is_ascii`` use the highest).
int pare_scan_level(void);

/// ``pare_skip_container`` with the kernel of `level` (tests compare them; above ``pare_scan_level``: the
/// highest).
const uint8_t *_Nullable pare_skip_container_at(int level, const uint8_t *_Nonnull p, const uint8_t *_Nonnull end);

/// Whether the `n` bytes at `p` are all ASCII (1) or not (0).
int pare_is_ascii(const uint8_t *_Nonnull p, size_t n);

/// ``pare_is_ascii`` with the kernel of `level` (as ``pare_skip_container_at``).
int pare_is_ascii_at(int level, const uint8_t *_Nonnull p, size_t n);

/// ``pare_skip_container`` without vector instructions, byte by byte.
const uint8_t *_Nullable pare_skip_container_portable(const uint8_t *_Nonnull p, const uint8_t *_Nonnull end);

#endif
