#include "CScan.h"

/// Scans `n` bytes one at a time, carrying the state across blocks; the position after the closing
/// bracket, or NULL when the container does not close within them.
static const uint8_t *scalar_block(const uint8_t *p, size_t n, uint64_t *depth, int *in_string, int *escaped) {
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (*in_string) {
            if (*escaped) {
                *escaped = 0;
            } else if (c == '\\') {
                *escaped = 1;
            } else if (c == '"') {
                *in_string = 0;
            }
            continue;
        }
        switch (c) {
        case '"': *in_string = 1; break;
        case '{':
        case '[': *depth += 1; break;
        case '}':
        case ']':
            *depth -= 1;
            if (*depth == 0) return p + i + 1;
            break;
        default: break;
        }
    }
    return NULL;
}

#if defined(__SSE2__)
/// Bit i set when byte i of the 64 at `p` equals `c` (after OR-ing `fold` into each byte).
static inline uint64_t mask64(const __m128i v[4], __m128i c) {
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v[k], c)) << (16 * k);
    return m;
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}
#endif

const uint8_t *pare_skip_container(const uint8_t *p, const uint8_t *end) {
    uint64_t depth = 1;
    int in_string = 0;
    int escaped = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i fold = _mm_set1_epi8(0x20);  // `[` → `{`, `]` → `}`
    const __m128i open = _mm_set1_epi8('{');
    const __m128i close = _mm_set1_epi8('}');
    while (end - p >= 64) {
        __m128i v[4], f[4];
        for (int k = 0; k < 4; k++) {
            v[k] = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
            f[k] = _mm_or_si128(v[k], fold);
        }
        // Backslashes: whether there is any (one mask for the block); quotes and brackets: where.
        __m128i any = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v[0], backslash), _mm_cmpeq_epi8(v[1], backslash)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v[2], backslash), _mm_cmpeq_epi8(v[3], backslash)));
        if (escaped || _mm_movemask_epi8(any) != 0) {
            // Escapes are rare: this block byte by byte.
            const uint8_t *after = scalar_block(p, 64, &depth, &in_string, &escaped);
            if (after) return after;
            p += 64;
            continue;
        }
        __m128i b[4];
        for (int k = 0; k < 4; k++) b[k] = _mm_or_si128(_mm_cmpeq_epi8(f[k], open), _mm_cmpeq_epi8(f[k], close));
        uint64_t brackets = 0;
        for (int k = 0; k < 4; k++) brackets |= (uint64_t)(uint16_t)_mm_movemask_epi8(b[k]) << (16 * k);
        uint64_t inside = prefix_xor(mask64(v, quote)) ^ (in_string ? ~(uint64_t)0 : 0);
        in_string = (int)(inside >> 63);
        brackets &= ~inside;
        // Brackets are few in a block: one step each, the byte telling an opening one from a closing one.
        while (brackets) {
            int i = __builtin_ctzll(brackets);
            if ((p[i] | 0x20) == '}') {
                if (--depth == 0) return p + i + 1;
            } else {
                depth++;
            }
            brackets &= brackets - 1;
        }
        p += 64;
    }
#endif
    return scalar_block(p, (size_t)(end - p), &depth, &in_string, &escaped);
}

const uint8_t *pare_skip_container_portable(const uint8_t *p, const uint8_t *end) {
    uint64_t depth = 1;
    int in_string = 0;
    int escaped = 0;
    return scalar_block(p, (size_t)(end - p), &depth, &in_string, &escaped);
}
