/*
 * bench_host: per-request cost of Proxy-Wasm filter modules on a lean native host (docs/benchmarks.md, "Native benchmark").
 *
 * Build:  gcc -std=gnu11 -O2 -rdynamic -o bench_host bench_host.c -ldl
 * Run:    bench_host [--batches N] [--requests N] [--configuration BYTES] <scenario> <name>=<module.so>...
 *
 * The host defines the env.proxy_* functions the modules import as exported C symbols (-rdynamic), so dlopen() binds
 * each module's undefined proxy_* symbols to them: the native counterpart of instantiating a wasm module with the env
 * imports, as tests/ProxyWasm.Native.Tests/host does. It follows proxy-wasm-cpp-host: a callback the module does not
 * export is not called (a missing proxy_on_done counts as done, a missing proxy_on_log, _context_create or _delete
 * is skipped, a missing headers callback is Continue); data a host call returns is copied into a block the module
 * allocates with proxy_on_memory_allocate (copyToPointerSize: nothing for empty data), and the module owns it.
 *
 * Each module gets one plugin (root context 1: context_create(1, 0), vm_start, configure), then requests. A request is
 * the lifecycle of an Envoy HTTP stream: proxy_on_context_create(id, 1), proxy_on_request_headers(id, 10, 1),
 * proxy_on_response_headers(id, 5, 1) (on the local response's headers when the filter sent one), proxy_on_done,
 * proxy_on_log, proxy_on_delete, with fresh ids as Envoy hands them out. The request has 10 headers, the response 5.
 * Scenario "allow" sends `allow: true` as the tenth request header, "deny" `allow: false`.
 *
 * Measurement: every module first runs warm-up requests and one checked request (the header the filter must set, the
 * local response it must send: printed as "check"). Then N batches: in each batch every module runs R requests,
 * timed with CLOCK_MONOTONIC, the order of the modules rotating from batch to batch so that none always runs first.
 * Per module it prints ns/request (median, min, max of the batch means); -empty, the median over batches of its batch
 * mean minus the first module's (the empty filter: the host's own cost) in the same batch, which is the
 * filter-attributable cost; ratio, -empty over that of the module named after '@' in its argument
 * (name=module.so@reference: the hand-written C filter doing the same work); min-empty and min ratio, the same from
 * the minima (the module's fastest batch mean minus the empty filter's fastest), the estimate other load disturbs least; host-allocated buffers per request, and malloc/free calls per request on
 * this thread with their balance (malloc and free are wrapped below, counting on the driving thread only).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

/* ---- malloc/free counting (glibc's __libc_* entry points underneath) ---- */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static __thread int t_counting;
static __thread long t_mallocs, t_frees;

EXPORT void *malloc(size_t size) { if (t_counting) t_mallocs++; return __libc_malloc(size); }
EXPORT void *calloc(size_t count, size_t size) { if (t_counting) t_mallocs++; return __libc_calloc(count, size); }
EXPORT void *realloc(void *block, size_t size)
{
    if (t_counting) {
        if (block == NULL) t_mallocs++;
        else if (size == 0) t_frees++;
    }
    return __libc_realloc(block, size);
}
EXPORT void free(void *block) { if (t_counting && block != NULL) t_frees++; __libc_free(block); }

/* ---- the module being driven ---- */

typedef void (*void2_fn)(uint32_t, uint32_t);
typedef void (*void1_fn)(uint32_t);
typedef uint32_t (*word1_fn)(uint32_t);
typedef uint32_t (*word2_fn)(uint32_t, size_t);
typedef uint32_t (*headers_fn)(uint32_t, uint32_t, uint32_t);
typedef void *(*alloc_fn)(size_t);

typedef struct {
    const char *name;
    void *handle;
    alloc_fn allocate;
    void2_fn context_create;
    word2_fn vm_start, configure;
    headers_fn request_headers, response_headers;
    word1_fn done;
    void1_fn log, delete_;
    uint32_t next_id;
    double *samples, *paired; /* batch means; batch means minus the first module's in the same batch */
    const char *reference;    /* the module this one's ratio is taken against, or NULL */
    double net;               /* median of paired: the filter-attributable cost */
    double net_min;           /* fastest batch mean minus the empty filter's fastest: the same cost, from the minima */
    long requests, host_allocations, mallocs, frees;
    char exports[256];
} module_t;

static module_t *m; /* the module whose callback is running */

/* ---- header maps: 16 entries over a template, values set by the module copied into per-entry storage ---- */

typedef struct { const char *key; size_t key_size; const char *value; size_t value_size; } entry_t;
typedef struct { entry_t entries[16]; int count, used; char keys[16][128], values[16][256]; } map_t;

static map_t request_map, response_map;
static entry_t request_template[10], response_template[5], local_template[2];
static int request_count = 10, response_count = 5;
static int local_response_status;
static const char *plugin_configuration = "";
static size_t plugin_configuration_size;
static int configuring;

#define E(k, v) { k, sizeof k - 1, v, sizeof v - 1 }
static const entry_t k_request[9] = {
    E(":authority", "example.com"), E(":path", "/get"), E(":method", "GET"), E(":scheme", "http"),
    E("user-agent", "curl/8.5.0"), E("accept", "*/*"), E("x-request-id", "5f94178e-39d0-4c4d-8b9e-911a26d38040"),
    E("x-forwarded-proto", "http"), E("x-envoy-expected-rq-timeout-ms", "15000"),
};
static const entry_t k_response[5] = {
    E(":status", "200"), E("content-type", "application/json"), E("content-length", "2"), E("server", "envoy"),
    E("date", "Wed, 02 Dec 2026 12:00:00 GMT"),
};
static const entry_t k_allow = E("allow", "true"), k_deny = E("allow", "false");

static map_t *map_of(int32_t type) { return type == 0 ? &request_map : type == 2 ? &response_map : NULL; }

static void map_reset(map_t *map, const entry_t *template, int count)
{
    memcpy(map->entries, template, (size_t)count * sizeof(entry_t));
    map->count = count;
    map->used = 0;
}

static int map_find(const map_t *map, const char *key, size_t size, int from)
{
    for (int i = from; i < map->count; i++) {
        if (map->entries[i].key_size == size && memcmp(map->entries[i].key, key, size) == 0) {
            return i;
        }
    }
    return -1;
}

static void map_remove(map_t *map, const char *key, size_t size)
{
    int i;
    while ((i = map_find(map, key, size, 0)) >= 0) {
        memmove(&map->entries[i], &map->entries[i + 1], (size_t)(map->count - i - 1) * sizeof(entry_t));
        map->count--;
    }
}

static int32_t map_add(map_t *map, const char *key, size_t key_size, const char *value, size_t value_size)
{
    if (map->count == 16 || map->used == 16 || key_size > 128 || value_size > 256) {
        return 2; /* BadArgument */
    }
    /* what the module passes lives in its memory only during the call: the map keeps copies */
    int slot = map->used++;
    memcpy(map->keys[slot], key, key_size);
    memcpy(map->values[slot], value, value_size);
    map->entries[map->count++] = (entry_t){ map->keys[slot], key_size, map->values[slot], value_size };
    return 0;
}

/* cpp-host copyToPointerSize: a module allocation, nothing for empty data. */
static int32_t copy_to_module(const char *data, size_t size, char **out, size_t *out_size)
{
    if (size == 0) {
        *out = NULL;
        *out_size = 0;
        return 0;
    }
    char *block = m->allocate(size);
    m->host_allocations++;
    if (block == NULL) {
        return 11; /* InvalidMemoryAccess */
    }
    memcpy(block, data, size);
    *out = block;
    *out_size = size;
    return 0;
}

/* ---- host functions ---- */

EXPORT int32_t proxy_log(int32_t level, const char *message, size_t size) { (void)level; (void)message; (void)size; return 0; }
EXPORT int32_t proxy_get_log_level(int32_t *level) { *level = 2; return 0; } /* info, Envoy's default */

EXPORT int32_t proxy_get_header_map_value(int32_t type, const char *key, size_t key_size, char **value, size_t *value_size)
{
    map_t *map = map_of(type);
    if (map == NULL) {
        return 2;
    }
    int i = map_find(map, key, key_size, 0);
    if (i < 0) {
        *value = NULL;
        *value_size = 0;
        return 1; /* NotFound */
    }
    return copy_to_module(map->entries[i].value, map->entries[i].value_size, value, value_size);
}

EXPORT int32_t proxy_replace_header_map_value(int32_t type, const char *key, size_t key_size, const char *value, size_t value_size)
{
    map_t *map = map_of(type);
    if (map == NULL) {
        return 2;
    }
    map_remove(map, key, key_size);
    return map_add(map, key, key_size, value, value_size);
}

EXPORT int32_t proxy_add_header_map_value(int32_t type, const char *key, size_t key_size, const char *value, size_t value_size)
{
    map_t *map = map_of(type);
    return map == NULL ? 2 : map_add(map, key, key_size, value, value_size);
}

EXPORT int32_t proxy_remove_header_map_value(int32_t type, const char *key, size_t key_size)
{
    map_t *map = map_of(type);
    if (map == NULL) {
        return 2;
    }
    map_remove(map, key, key_size);
    return 0;
}

EXPORT int32_t proxy_send_local_response(uint32_t status, const char *details, size_t details_size, const char *body,
                                         size_t body_size, const char *headers, size_t headers_size, int32_t grpc_status)
{
    (void)details; (void)details_size; (void)body; (void)body_size; (void)headers; (void)headers_size; (void)grpc_status;
    local_response_status = (int)status; /* Envoy sends it after the callback returns */
    return 0;
}

EXPORT int32_t proxy_continue_stream(int32_t type) { (void)type; return 0; }
EXPORT int32_t proxy_close_stream(int32_t type) { (void)type; return 0; }

EXPORT int32_t proxy_get_buffer_status(int32_t type, size_t *size, uint32_t *flags)
{
    if (type != 7 || !configuring) {
        return 1;
    }
    *size = plugin_configuration_size;
    *flags = 0;
    return 0;
}

EXPORT int32_t proxy_get_buffer_bytes(int32_t type, size_t start, size_t max_size, char **data, size_t *size)
{
    if (type != 7 || !configuring) {
        return 1;
    }
    size_t from = start < plugin_configuration_size ? start : plugin_configuration_size;
    size_t length = plugin_configuration_size - from < max_size ? plugin_configuration_size - from : max_size;
    return copy_to_module(plugin_configuration + from, length, data, size);
}

EXPORT int32_t proxy_get_property(const char *path, size_t path_size, char **value, size_t *value_size)
{
    (void)path; (void)path_size; *value = NULL; *value_size = 0;
    return 1; /* NotFound */
}

EXPORT int32_t proxy_set_effective_context(uint32_t id) { (void)id; return 0; }
EXPORT int32_t proxy_done(void) { return 1; }
EXPORT int32_t proxy_set_tick_period_milliseconds(uint32_t period) { (void)period; return 0; }
EXPORT int32_t proxy_get_current_time_nanoseconds(uint64_t *time)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    *time = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    return 0;
}

/* ---- loading and driving ---- */

static void *symbol(module_t *module, const char *name)
{
    void *address = dlsym(module->handle, name);
    if (address != NULL) {
        size_t used = strlen(module->exports);
        snprintf(module->exports + used, sizeof module->exports - used, "%s%s", used ? " " : "",
                 name + (strncmp(name, "proxy_on_", 9) == 0 ? 9 : 0));
    }
    return address;
}

static void load(module_t *module, const char *path)
{
    module->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (module->handle == NULL) {
        fprintf(stderr, "bench_host: %s\n", dlerror());
        exit(2);
    }
    if (dlsym(module->handle, "proxy_abi_version_0_2_1") == NULL) {
        fprintf(stderr, "bench_host: %s: no proxy_abi_version_0_2_1\n", path);
        exit(2);
    }
    module->allocate = (alloc_fn)dlsym(module->handle, "proxy_on_memory_allocate");
    if (module->allocate == NULL) {
        fprintf(stderr, "bench_host: %s: no proxy_on_memory_allocate\n", path);
        exit(2);
    }
    module->context_create = (void2_fn)symbol(module, "proxy_on_context_create");
    module->vm_start = (word2_fn)symbol(module, "proxy_on_vm_start");
    module->configure = (word2_fn)symbol(module, "proxy_on_configure");
    module->request_headers = (headers_fn)symbol(module, "proxy_on_request_headers");
    module->response_headers = (headers_fn)symbol(module, "proxy_on_response_headers");
    module->done = (word1_fn)symbol(module, "proxy_on_done");
    module->log = (void1_fn)symbol(module, "proxy_on_log");
    module->delete_ = (void1_fn)symbol(module, "proxy_on_delete");
    module->next_id = 2;

    m = module;
    if (module->context_create) module->context_create(1, 0);
    if (module->vm_start && module->vm_start(1, 0) == 0) {
        fprintf(stderr, "bench_host: %s: proxy_on_vm_start failed\n", path);
        exit(2);
    }
    configuring = 1;
    if (module->configure && module->configure(1, plugin_configuration_size) == 0) {
        fprintf(stderr, "bench_host: %s: proxy_on_configure failed\n", path);
        exit(2);
    }
    configuring = 0;
}

/* One HTTP stream, as Envoy drives it through proxy-wasm-cpp-host. */
static inline void request(module_t *module)
{
    uint32_t id = module->next_id++;
    map_reset(&request_map, request_template, request_count);
    local_response_status = 0;
    if (module->context_create) module->context_create(id, 1);
    if (module->request_headers) module->request_headers(id, (uint32_t)request_map.count, 1);
    if (local_response_status != 0) {
        map_reset(&response_map, local_template, 2);
    } else {
        map_reset(&response_map, response_template, response_count);
    }
    if (module->response_headers) module->response_headers(id, (uint32_t)response_map.count, 1);
    if (module->done) module->done(id);
    if (module->log) module->log(id);
    if (module->delete_) module->delete_(id);
}

/* A measured batch (callgrind counts instructions inside it only: --toggle-collect=run_batch). */
__attribute__((noinline)) void run_batch(module_t *module, int requests)
{
    for (int r = 0; r < requests; r++) request(module);
}

static const char *value_of(const map_t *map, const char *key, char *out, size_t capacity)
{
    int i = map_find(map, key, strlen(key), 0);
    if (i < 0) {
        return "(none)";
    }
    size_t n = map->entries[i].value_size < capacity - 1 ? map->entries[i].value_size : capacity - 1;
    memcpy(out, map->entries[i].value, n);
    out[n] = 0;
    return out;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The median of values[0..n), which it sorts in place; values[0] and values[n - 1] are then the min and max. */
static double median_of(double *values, int n)
{
    qsort(values, (size_t)n, sizeof(double), compare);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int batches = 200, requests = 2000, first = 1;
    while (first < argc && strncmp(argv[first], "--", 2) == 0 && first + 1 < argc) {
        if (strcmp(argv[first], "--batches") == 0) batches = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--requests") == 0) requests = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--configuration") == 0) plugin_configuration = argv[first + 1];
        else break;
        first += 2;
    }
    if (argc - first < 2 || batches < 1 || requests < 1) {
        fprintf(stderr, "usage: bench_host [--batches N] [--requests N] [--configuration BYTES] allow|deny name=module.so...\n");
        return 2;
    }
    plugin_configuration_size = strlen(plugin_configuration);
    const char *scenario = argv[first++];
    memcpy(request_template, k_request, sizeof k_request);
    request_template[9] = strcmp(scenario, "deny") == 0 ? k_deny : k_allow;
    memcpy(response_template, k_response, sizeof k_response);
    local_template[0] = (entry_t)E(":status", "403");
    local_template[1] = (entry_t)E("content-type", "text/plain");

    int count = argc - first;
    module_t *modules = calloc((size_t)count, sizeof(module_t));
    for (int i = 0; i < count; i++) {
        char *spec = argv[first + i];
        char *equals = strchr(spec, '=');
        if (equals == NULL) {
            fprintf(stderr, "bench_host: expected name=module.so, got %s\n", spec);
            return 2;
        }
        *equals = 0;
        modules[i].name = spec;
        char *at = strchr(equals + 1, '@');
        if (at != NULL) {
            *at = 0;
            modules[i].reference = at + 1;
        }
        modules[i].samples = calloc((size_t)batches, sizeof(double));
        modules[i].paired = calloc((size_t)batches, sizeof(double));
        load(&modules[i], equals + 1);
    }

    /* warm-up, then one checked request per module */
    for (int i = 0; i < count; i++) {
        m = &modules[i];
        for (int r = 0; r < 20000; r++) request(m);
        request(m);
        char a[300], b[300];
        printf("check\t%s\tx-hello: %s\thello: %s\tlocal_response: %d\texports: %s\n", m->name,
               value_of(&request_map, "x-hello", a, sizeof a), value_of(&response_map, "hello", b, sizeof b),
               local_response_status, m->exports);
        m->host_allocations = 0;
    }

    for (int batch = 0; batch < batches; batch++) {
        for (int k = 0; k < count; k++) {
            module_t *module = &modules[(batch + k) % count];
            m = module;
            long allocations = module->host_allocations;
            t_mallocs = t_frees = 0;
            t_counting = 1;
            double start = now_ns();
            run_batch(module, requests);
            double elapsed = now_ns() - start;
            t_counting = 0;
            module->samples[batch] = elapsed / requests;
            module->requests += requests;
            module->mallocs += t_mallocs;
            module->frees += t_frees;
            (void)allocations;
        }
    }

    /* Paired with the empty filter (the first module) batch by batch, so that drift between batches (frequency,
       other load) cancels: the filter-attributable cost is the median of the per-batch differences. */
    for (int i = 0; i < count; i++) {
        for (int batch = 0; batch < batches; batch++) {
            modules[i].paired[batch] = modules[i].samples[batch] - modules[0].samples[batch];
        }
        modules[i].net = median_of(modules[i].paired, batches);
    }
    /* From the minima too: other load only ever adds time to a batch, so each module's fastest batch is its estimate
       least disturbed by it (the minimum is the robust estimator of a deterministic cost under additive noise). */
    double empty_min = modules[0].samples[0];
    for (int batch = 1; batch < batches; batch++) {
        empty_min = modules[0].samples[batch] < empty_min ? modules[0].samples[batch] : empty_min;
    }
    for (int i = 0; i < count; i++) {
        double min = modules[i].samples[0];
        for (int batch = 1; batch < batches; batch++) {
            min = modules[i].samples[batch] < min ? modules[i].samples[batch] : min;
        }
        modules[i].net_min = min - empty_min;
    }

    printf("scenario %s, %d batches x %d requests per module, interleaved\n", scenario, batches, requests);
    printf("%-28s %9s %9s %9s %9s %7s %9s %9s %11s %9s %9s %9s\n", "module", "median", "min", "max", "-empty", "ratio",
           "min-empty", "min ratio", "host_alloc", "malloc", "free", "balance");
    for (int i = 0; i < count; i++) {
        module_t *module = &modules[i];
        double median = median_of(module->samples, batches);
        char ratio[16] = "", ratio_min[16] = "";
        for (int j = 0; module->reference != NULL && j < count; j++) {
            if (strcmp(modules[j].name, module->reference) == 0) {
                snprintf(ratio, sizeof ratio, "%.2f", module->net / modules[j].net);
                snprintf(ratio_min, sizeof ratio_min, "%.3f", module->net_min / modules[j].net_min);
            }
        }
        printf("%-28s %9.1f %9.1f %9.1f %9.1f %7s %9.2f %9s %11.3f %9.3f %9.3f %9ld\n", module->name, median,
               module->samples[0], module->samples[batches - 1], module->net, ratio, module->net_min, ratio_min,
               (double)module->host_allocations / module->requests,
               (double)module->mallocs / module->requests, (double)module->frees / module->requests,
               module->mallocs - module->frees);
    }
    return 0;
}
