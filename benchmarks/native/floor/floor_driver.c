/*
 * floor_driver: the cost to a host of calling one export of a module (docs/benchmarks.md, "Floor").
 *
 * Build:  gcc -std=gnu11 -O2 -rdynamic -o floor_driver floor_driver.c -ldl
 * Run:    floor_driver [--batches N] [--calls N] [--init <module.so>:<export>] <module.so>:<export>...
 *
 * It defines floor_nop, the host function the modules import (exported with -rdynamic, so dlopen binds the modules'
 * undefined floor_nop to it). Each export is called as export(i, 10, 1): 20,000 warm-up calls (which also start the
 * NativeAOT runtime), one checked call (its result printed), then N batches of C calls each, the order of the exports
 * rotating from batch to batch, each batch timed with CLOCK_MONOTONIC. It prints ns/call (median, min, max of the batch
 * means). Under callgrind, --toggle-collect=run_batch counts the measured calls only (warm_up is another function).
 *
 * --init calls one export once before anything else, to start the NativeAOT runtime: an export with a stack buffer
 * (GS cookie) must not be the first one called, since it reads the cookie before its reverse P/Invoke starts the
 * runtime, which randomizes the cookie, and its check on return then fails fast (SIGABRT).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint32_t (*export_fn)(uint32_t, uint32_t, uint32_t);

/* The host function: as cheap as a call can be, so a module's call of it costs the call itself. */
EXPORT __attribute__((noipa)) uint32_t floor_nop(uint32_t value) { return value; }

/* noipa: neither inlined nor merged with warm_up (identical code folding), so the toggle selects the measured calls. */
__attribute__((noipa)) uint32_t run_batch(export_fn f, int calls)
{
    uint32_t sink = 0;
    for (int i = 0; i < calls; i++) sink += f((uint32_t)i, 10, 1);
    return sink;
}

static __attribute__((noipa)) uint32_t warm_up(export_fn f, int calls)
{
    uint32_t sink = 0;
    for (int i = 0; i < calls; i++) sink += f((uint32_t)i, 10, 1);
    return sink;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct { const char *name; export_fn f; double *samples; } entry_t;

static export_fn resolve(const char *spec)
{
    const char *colon = strrchr(spec, ':');
    if (colon == NULL) {
        fprintf(stderr, "floor_driver: expected <module.so>:<export>, got %s\n", spec);
        exit(2);
    }
    char path[4096];
    snprintf(path, sizeof path, "%.*s", (int)(colon - spec), spec);
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fprintf(stderr, "floor_driver: %s\n", dlerror());
        exit(1);
    }
    export_fn f = (export_fn)dlsym(handle, colon + 1);
    if (f == NULL) {
        fprintf(stderr, "floor_driver: %s has no export %s\n", path, colon + 1);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    int batches = 200, calls = 100000, first = 1;
    const char *init = NULL;
    for (; first + 1 < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (strcmp(argv[first], "--batches") == 0) batches = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--calls") == 0) calls = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--init") == 0) init = argv[first + 1];
        else break;
    }
    int count = argc - first;
    if (count < 1 || batches < 1 || calls < 1) {
        fprintf(stderr, "usage: floor_driver [--batches N] [--calls N] [--init <module.so>:<export>] <module.so>:<export>...\n");
        return 2;
    }
    if (init != NULL) printf("init  %-52s (7, 10, 1) -> %u\n", init, resolve(init)(7, 10, 1));
    entry_t *entries = calloc((size_t)count, sizeof *entries);
    for (int i = 0; i < count; i++) {
        entries[i].name = argv[first + i];
        entries[i].f = resolve(argv[first + i]);
        entries[i].samples = calloc((size_t)batches, sizeof(double));
        warm_up(entries[i].f, 20000);
        printf("check %-52s (7, 10, 1) -> %u\n", entries[i].name, entries[i].f(7, 10, 1));
    }
    for (int batch = 0; batch < batches; batch++) {
        for (int k = 0; k < count; k++) {
            entry_t *e = &entries[(batch + k) % count];
            double start = now_ns();
            run_batch(e->f, calls);
            e->samples[batch] = (now_ns() - start) / calls;
        }
    }
    printf("%d batches x %d calls per export, interleaved (ns/call)\n", batches, calls);
    printf("%-52s %9s %9s %9s\n", "export", "median", "min", "max");
    for (int i = 0; i < count; i++) {
        entry_t *e = &entries[i];
        qsort(e->samples, (size_t)batches, sizeof(double), compare);
        double median = batches % 2 ? e->samples[batches / 2]
                                    : (e->samples[batches / 2 - 1] + e->samples[batches / 2]) / 2;
        printf("%-52s %9.2f %9.2f %9.2f\n", e->name, median, e->samples[0], e->samples[batches - 1]);
    }
    return 0;
}
