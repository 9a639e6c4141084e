#include "CScan.h"

#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#endif

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
/// Counts the brackets of a 64-byte block at `p` (bit i of `brackets` for byte i, outside strings):
/// the position after the one that closes the container, or NULL. Brackets are few in a block: one step
/// each, the byte telling an opening one from a closing one.
static inline const uint8_t *step_brackets(const uint8_t *p, uint64_t brackets, uint64_t *depth) {
    while (brackets) {
        int i = __builtin_ctzll(brackets);
        if ((p[i] | 0x20) == '}') {
            if (--*depth == 0) return p + i + 1;
        } else {
            *depth += 1;
        }
        brackets &= brackets - 1;
    }
    return NULL;
}

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

#if defined(__SSE2__)
static const uint8_t *skip_container_sse2(const uint8_t *p, const uint8_t *end) {
    uint64_t depth = 1;
    int in_string = 0;
    int escaped = 0;
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
        const uint8_t *after = step_brackets(p, brackets & ~inside, &depth);
        if (after) return after;
        p += 64;
    }
    return scalar_block(p, (size_t)(end - p), &depth, &in_string, &escaped);
}
#endif

const uint8_t *pare_skip_container_portable(const uint8_t *p, const uint8_t *end) {
    uint64_t depth = 1;
    int in_string = 0;
    int escaped = 0;
    return scalar_block(p, (size_t)(end - p), &depth, &in_string, &escaped);
}

#if defined(__x86_64__) && defined(__SSE2__)
/// ``skip_container_sse2`` 32 bytes per instruction, the quote mask's prefix XOR in one carry-less multiply.
__attribute__((target("avx2,pclmul"))) static const uint8_t *skip_container_avx2(const uint8_t *p,
                                                                               const uint8_t *end) {
    uint64_t depth = 1;
    int in_string = 0;
    int escaped = 0;
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\');
    const __m256i fold = _mm256_set1_epi8(0x20);  // `[` → `{`, `]` → `}`
    const __m256i open = _mm256_set1_epi8('{');
    const __m256i close = _mm256_set1_epi8('}');
    while (end - p >= 64) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
        __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
        __m256i any = _mm256_or_si256(_mm256_cmpeq_epi8(lo, backslash), _mm256_cmpeq_epi8(hi, backslash));
        if (escaped || !_mm256_testz_si256(any, any)) {
            // Escapes are rare: this block byte by byte.
            const uint8_t *after = scalar_block(p, 64, &depth, &in_string, &escaped);
            if (after) return after;
            p += 64;
            continue;
        }
        __m256i flo = _mm256_or_si256(lo, fold), fhi = _mm256_or_si256(hi, fold);
        __m256i blo = _mm256_or_si256(_mm256_cmpeq_epi8(flo, open), _mm256_cmpeq_epi8(flo, close));
        __m256i bhi = _mm256_or_si256(_mm256_cmpeq_epi8(fhi, open), _mm256_cmpeq_epi8(fhi, close));
        uint64_t brackets =
            (uint32_t)_mm256_movemask_epi8(blo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(bhi) << 32;
        uint64_t quotes = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, quote)) |
                          (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, quote)) << 32;
        // Bit i of the product: the XOR of quote bits 0…i (inside a string when odd).
        uint64_t inside = (uint64_t)_mm_cvtsi128_si64(
            _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)quotes), _mm_set1_epi8((char)0xFF), 0));
        inside ^= in_string ? ~(uint64_t)0 : 0;
        in_string = (int)(inside >> 63);
        const uint8_t *after = step_brackets(p, brackets & ~inside, &depth);
        if (after) return after;
        p += 64;
    }
    return scalar_block(p, (size_t)(end - p), &depth, &in_string, &escaped);
}
#endif

/// ``pare_is_ascii`` in portable C: 8 bytes at a time.
static int is_ascii_portable(const uint8_t *p, size_t n) {
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++) acc |= p[i];
    return (acc & 0x8080808080808080u) == 0;
}

#if defined(__SSE2__)
/// ``pare_is_ascii`` 64 bytes at a time.
static int is_ascii_sse2(const uint8_t *p, size_t n) {
    __m128i acc = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + i)),
                                 _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16)));
        __m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + i + 32)),
                                 _mm_loadu_si128((const __m128i *)(const void *)(p + i + 48)));
        acc = _mm_or_si128(acc, _mm_or_si128(a, b));
    }
    return _mm_movemask_epi8(acc) == 0 && is_ascii_portable(p + i, n - i);
}
#endif

#if defined(__x86_64__) && defined(__SSE2__)
/// ``pare_is_ascii`` 128 bytes at a time.
__attribute__((target("avx2"))) static int is_ascii_avx2(const uint8_t *p, size_t n) {
    __m256i acc = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        __m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i)),
                                    _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32)));
        __m256i b = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i + 64)),
                                    _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 96)));
        acc = _mm256_or_si256(acc, _mm256_or_si256(a, b));
    }
    return _mm256_movemask_epi8(acc) == 0 && is_ascii_sse2(p + i, n - i);
}
#endif

typedef const uint8_t *(*pare_kernel)(const uint8_t *, const uint8_t *);
typedef int (*pare_ascii_kernel)(const uint8_t *, size_t);

/// The kernels by level (``pare_scan_level``): portable, SSE2, AVX2.
#if defined(__x86_64__) && defined(__SSE2__)
static const pare_kernel skip_kernels[] = {pare_skip_container_portable, skip_container_sse2, skip_container_avx2};
static const pare_ascii_kernel ascii_kernels[] = {is_ascii_portable, is_ascii_sse2, is_ascii_avx2};
#elif defined(__SSE2__)
static const pare_kernel skip_kernels[] = {pare_skip_container_portable, skip_container_sse2};
static const pare_ascii_kernel ascii_kernels[] = {is_ascii_portable, is_ascii_sse2};
#else
static const pare_kernel skip_kernels[] = {pare_skip_container_portable};
static const pare_ascii_kernel ascii_kernels[] = {is_ascii_portable};
#endif

enum { kernel_count = sizeof(skip_kernels) / sizeof(skip_kernels[0]) };

/// SSE2 where compiled in (every x86-64), else portable; AVX2 when `choose_kernels` finds it.
static int scan_level = kernel_count > 1 ? 1 : 0;

/// Chooses the kernels once, before `main`: AVX2 where the CPU (and the OS) support it.
__attribute__((constructor)) static void choose_kernels(void) {
#if defined(__x86_64__) && defined(__SSE2__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) {
        scan_level = 2;
    }
#endif
}

int pare_scan_level(void) { return scan_level; }

const uint8_t *pare_skip_container(const uint8_t *p, const uint8_t *end) { return skip_kernels[scan_level](p, end); }

const uint8_t *pare_skip_container_at(int level, const uint8_t *p, const uint8_t *end) {
    return skip_kernels[level < 0 ? 0 : level < scan_level ? level : scan_level](p, end);
}

int pare_is_ascii(const uint8_t *p, size_t n) { return ascii_kernels[scan_level](p, n); }

int pare_is_ascii_at(int level, const uint8_t *p, size_t n) {
    return ascii_kernels[level < 0 ? 0 : level < scan_level ? level : scan_level](p, n);
}
