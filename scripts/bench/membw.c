/*
 * Memory bandwidth of this machine, the ceilings behind `genai4j bench moe`'s decode figures:
 * per thread count, a read-only stream (what a decode step does to its weights) against copies
 * (what the bar's "copy bandwidth" measures), in one process, best of 3 over 512 MiB per buffer.
 * Copies are counted the STREAM way, bytes read + bytes written (2N/t); reads as N/t.
 *
 *   cc -O3 -march=native -pthread scripts/bench/membw.c -o /tmp/membw && /tmp/membw [MAX_THREADS]
 *
 * Read: 4 independent 64-bit XOR accumulators (the compiler vectorizes them; XOR needs no
 * fast-math), nothing else per byte. rep movsb: the kernel's and the JDK's bulk-copy instruction
 * on x86 (JDK MemorySegment.copy of native memory runs at its speed here).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t total = 512ul << 20;
static uint8_t *src, *dst;
static int threads, mode;
volatile uint64_t sink[64];

enum { READ, MEMCPY, REP_MOVSB, MODES };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *work(void *arg) {
    int id = (int) (intptr_t) arg;
    size_t per = total / threads;
    uint8_t *s = src + id * per, *d = dst + id * per;
    if (mode == READ) {
        const uint64_t *p = (const uint64_t *) s;
        uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (size_t i = 0, n = per / 8; i < n; i += 4) { a0 ^= p[i]; a1 ^= p[i + 1]; a2 ^= p[i + 2]; a3 ^= p[i + 3]; }
        sink[id] = a0 ^ a1 ^ a2 ^ a3;
    } else if (mode == MEMCPY) {
        memcpy(d, s, per);
    } else {
#if defined(__x86_64__)
        size_t n = per;
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
#else
        memcpy(d, s, per);
#endif
    }
    return NULL;
}

static double run(void) {
    pthread_t th[64];
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&th[i], NULL, work, (void *) (intptr_t) i);
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    return now() - t0;
}

int main(int argc, char **argv) {
    int maxThreads = argc > 1 ? atoi(argv[1]) : 2;
    if (maxThreads < 1 || maxThreads > 64) { fprintf(stderr, "membw: MAX_THREADS must be 1..64, got %s\n", argv[1]); return 2; }
    src = aligned_alloc(4096, total);
    dst = aligned_alloc(4096, total);
    if (!src || !dst) { fprintf(stderr, "membw: cannot allocate 2 x %zu MiB\n", total >> 20); return 1; }
    memset(src, 1, total);
    memset(dst, 2, total);
    for (threads = 1; threads <= maxThreads; threads++) {
        double gbs[MODES];
        for (mode = 0; mode < MODES; mode++) {
            double best = 1e30;
            for (int r = 0; r < 3; r++) { double t = run(); if (t < best) best = t; }
            gbs[mode] = (mode == READ ? 1.0 : 2.0) * total / best / 1e9;
        }
        double copy = gbs[MEMCPY] > gbs[REP_MOVSB] ? gbs[MEMCPY] : gbs[REP_MOVSB];
        printf("membw threads=%d read_gb_s=%.1f memcpy_gb_s=%.1f rep_movsb_gb_s=%.1f read_over_best_copy=%.2f\n",
               threads, gbs[READ], gbs[MEMCPY], gbs[REP_MOVSB], gbs[READ] / copy);
    }
    return 0;
}
