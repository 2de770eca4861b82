/*
 * network_probe: a Proxy-Wasm module written in C that probes what proxywasm_host does for TCP connections, shared
 * queues, foreign functions and several root contexts: it exports the TCP callbacks, proxy_on_queue_ready and
 * proxy_on_foreign_function, and logs what each callback saw and what each host function returned, one line a probe.
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -shared -fPIC -o network_probe.so network_probe.c
 *
 * Each root context's plugin configuration is a comma-separated list of words that choose what its connections and
 * streams do (a connection or stream follows the words of its root):
 *   stop        downstream data returns StopIteration until end of stream
 *   stop-up     upstream data returns StopIteration until end of stream
 *   rewrite     downstream data is wrapped in [ ] (prepend, append), upstream data replaced by UP; a write in the
 *               middle of the buffer is tried too
 *   resume      downstream data returns StopIteration but resumes the downstream (and tries the upstream) itself
 *   close       the first downstream data closes the connection (proxy_close_stream(DOWNSTREAM))
 *   close-up    the first upstream data closes it with proxy_close_stream(UPSTREAM)
 *   queue       configure registers the queue "q" of this VM; every downstream chunk is enqueued to it (resolved by
 *               vm id and name), and every request's :path
 *   resolve=<vm>/<name>   downstream chunks are enqueued to that queue instead
 *   foreign     configure calls the foreign functions "compress" (argument "hello") and "missing"
 *   later       proxy_done returns false for connections (their proxy_on_done then calls proxy_done itself when the
 *               word done-now is also given)
 *   done-now    see later
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t proxy_log(int32_t level, const uint8_t *message_data, size_t message_size);
int32_t proxy_get_buffer_bytes(int32_t buffer_type, size_t start, size_t max_size, uint8_t **return_buffer_data, size_t *return_buffer_size);
int32_t proxy_get_buffer_status(int32_t buffer_type, size_t *return_buffer_size, uint32_t *return_flags);
int32_t proxy_set_buffer_bytes(int32_t buffer_type, size_t start, size_t size, const uint8_t *buffer_data, size_t buffer_size);
int32_t proxy_continue_stream(int32_t stream_type);
int32_t proxy_close_stream(int32_t stream_type);
int32_t proxy_get_property(const uint8_t *path_data, size_t path_size, uint8_t **return_value_data, size_t *return_value_size);
int32_t proxy_register_shared_queue(const uint8_t *name_data, size_t name_size, uint32_t *return_queue_id);
int32_t proxy_resolve_shared_queue(const uint8_t *vm_id_data, size_t vm_id_size, const uint8_t *name_data, size_t name_size, uint32_t *return_queue_id);
int32_t proxy_enqueue_shared_queue(uint32_t queue_id, const uint8_t *value_data, size_t value_size);
int32_t proxy_dequeue_shared_queue(uint32_t queue_id, uint8_t **return_value_data, size_t *return_value_size);
int32_t proxy_call_foreign_function(const uint8_t *function_name_data, size_t function_name_size, const uint8_t *arguments_data,
                                    size_t arguments_size, uint8_t **return_results_data, size_t *return_results_size);
int32_t proxy_set_effective_context(uint32_t context_id);
int32_t proxy_get_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, uint8_t **return_value_data,
                                   size_t *return_value_size);
int32_t proxy_done(void);

#define MAX_CONTEXTS 64

static char g_words[MAX_CONTEXTS][128]; /* each root's configuration */
static uint32_t g_parent[MAX_CONTEXTS]; /* each context's root (a root: itself) */
static uint32_t g_queue[MAX_CONTEXTS];  /* each root's queue "q" */
static int g_closed[MAX_CONTEXTS];

void proxy_abi_version_0_2_1(void)
{
}

void *proxy_on_memory_allocate(size_t size)
{
    return malloc(size == 0 ? 1 : size);
}

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *format, ...)
{
    char line[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    proxy_log(2, (const uint8_t *)line, strlen(line));
}

static uint32_t slot(uint32_t context)
{
    return context < MAX_CONTEXTS ? context : 0;
}

/* Whether the root of <context> was configured with <word> (or <word>=...: then *value is what follows). */
static int has(uint32_t context, const char *word, const char **value)
{
    const char *words = g_words[slot(g_parent[slot(context)])];
    size_t length = strlen(word);
    for (const char *at = words; at != NULL && *at != 0; at = strchr(at, ',') ? strchr(at, ',') + 1 : NULL) {
        if (strncmp(at, word, length) == 0 && (at[length] == ',' || at[length] == 0 || (value != NULL && at[length] == '='))) {
            if (value != NULL) {
                *value = at[length] == '=' ? at + length + 1 : "";
            }
            return 1;
        }
    }
    return 0;
}

static void property(const char *when, const char *name)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int32_t status = proxy_get_property((const uint8_t *)name, strlen(name), &data, &size);
    say("%s %s: status %d '%.*s'", when, name, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);
}

/* Reads the whole buffer <type>; logs "<what> status size 'bytes'". */
static void read_buffer(const char *what, int32_t type, size_t size)
{
    uint8_t *data = NULL;
    size_t got = 0;
    int32_t status = proxy_get_buffer_bytes(type, 0, size, &data, &got);
    say("%s: status %d size %zu '%.*s'", what, status, got, (int)got, data != NULL ? (const char *)data : "");
    free(data);
}

static void call_foreign(const char *when, const char *name, const char *arguments)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int32_t status = proxy_call_foreign_function((const uint8_t *)name, strlen(name), (const uint8_t *)arguments, strlen(arguments), &data, &size);
    say("%s foreign %s: status %d '%.*s'", when, name, status, (int)size, data != NULL ? (const char *)data : "");
    free(data);
}

uint32_t proxy_on_vm_start(uint32_t context_id, uint32_t configuration_size)
{
    say("vm_start %u size %u", context_id, configuration_size);
    return 1;
}

uint32_t proxy_on_configure(uint32_t context_id, uint32_t configuration_size)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int32_t status = proxy_get_buffer_bytes(7, 0, configuration_size, &data, &size);
    char *words = g_words[slot(context_id)];
    memset(words, 0, sizeof g_words[0]);
    memcpy(words, data, size < sizeof g_words[0] - 1 ? size : sizeof g_words[0] - 1);
    free(data);
    say("configure %u: status %d '%s'", context_id, status, words);
    property("configure", "plugin_root_id");
    property("configure", "plugin_vm_id");
    if (has(context_id, "queue", NULL)) {
        uint32_t id = 0;
        status = proxy_register_shared_queue((const uint8_t *)"q", 1, &id);
        g_queue[slot(context_id)] = id;
        say("register q: status %d id %u", status, id);
    }
    if (has(context_id, "foreign", NULL)) {
        call_foreign("configure", "compress", "hello");
        call_foreign("configure", "missing", "x");
    }
    return 1;
}

void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id)
{
    g_parent[slot(context_id)] = parent_context_id == 0 ? context_id : parent_context_id;
    g_closed[slot(context_id)] = 0;
    if (parent_context_id != 0) {
        say("create %u under %u", context_id, parent_context_id);
    }
}

uint32_t proxy_on_new_connection(uint32_t context_id)
{
    say("new connection %u", context_id);
    property("connection", "plugin_root_id");
    read_buffer("new connection downstream", 2, 100);
    return 0;
}

static void enqueue(uint32_t context_id, const uint8_t *data, size_t size)
{
    const char *target = NULL;
    uint32_t id = 0;
    int32_t status;
    if (has(context_id, "resolve", &target)) {
        const char *slash = strchr(target, '/');
        const char *end = strchr(target, ',');
        size_t vm_size = slash != NULL ? (size_t)(slash - target) : 0;
        const char *name = slash != NULL ? slash + 1 : target;
        size_t name_size = end != NULL ? (size_t)(end - name) : strlen(name);
        status = proxy_resolve_shared_queue((const uint8_t *)target, vm_size, (const uint8_t *)name, name_size, &id);
        say("resolve %.*s/%.*s: status %d id %u", (int)vm_size, target, (int)name_size, name, status, id);
    } else if (has(context_id, "queue", NULL)) {
        uint8_t *vm = NULL;
        size_t vm_size = 0;
        proxy_get_property((const uint8_t *)"plugin_vm_id", 12, &vm, &vm_size);
        status = proxy_resolve_shared_queue(vm, vm_size, (const uint8_t *)"q", 1, &id);
        free(vm);
        say("resolve q: status %d id %u", status, id);
    } else {
        return;
    }
    say("enqueue: status %d", proxy_enqueue_shared_queue(id, data, size));
}

uint32_t proxy_on_downstream_data(uint32_t context_id, uint32_t data_size, uint32_t end_of_stream)
{
    uint8_t *data = NULL;
    size_t size = 0;
    size_t status_size = 0;
    uint32_t flags = 0;
    int32_t status = proxy_get_buffer_status(2, &status_size, &flags);
    say("downstream %u size %u end %u: buffer status %d size %zu", context_id, data_size, end_of_stream, status, status_size);
    status = proxy_get_buffer_bytes(2, 0, data_size, &data, &size);
    say("downstream bytes: status %d '%.*s'", status, (int)size, data != NULL ? (const char *)data : "");
    read_buffer("downstream sees upstream", 3, 100);
    enqueue(context_id, data, size);
    free(data);
    if (has(context_id, "rewrite", NULL)) {
        say("prepend: status %d", proxy_set_buffer_bytes(2, 0, 0, (const uint8_t *)"[", 1));
        say("append: status %d", proxy_set_buffer_bytes(2, data_size + 1, 0, (const uint8_t *)"]", 1));
        say("middle: status %d", proxy_set_buffer_bytes(2, 1, 0, (const uint8_t *)"?", 1));
        read_buffer("rewritten", 2, 1000);
    }
    if (has(context_id, "close", NULL) && !g_closed[slot(context_id)]) {
        g_closed[slot(context_id)] = 1;
        say("close downstream: status %d", proxy_close_stream(2));
    }
    if (has(context_id, "resume", NULL)) {
        say("resume downstream: status %d", proxy_continue_stream(2));
        say("resume upstream: status %d", proxy_continue_stream(3));
        say("resume request: status %d", proxy_continue_stream(0));
        return 1;
    }
    return has(context_id, "stop", NULL) && !end_of_stream ? 1 : 0;
}

uint32_t proxy_on_upstream_data(uint32_t context_id, uint32_t data_size, uint32_t end_of_stream)
{
    say("upstream %u size %u end %u", context_id, data_size, end_of_stream);
    read_buffer("upstream bytes", 3, data_size);
    if (has(context_id, "rewrite", NULL)) {
        say("replace: status %d", proxy_set_buffer_bytes(3, 0, 0x7fffffff, (const uint8_t *)"UP", 2));
        read_buffer("replaced", 3, 1000);
    }
    if (has(context_id, "close-up", NULL) && !g_closed[slot(context_id)]) {
        g_closed[slot(context_id)] = 1;
        say("close upstream: status %d", proxy_close_stream(3));
    }
    return has(context_id, "stop-up", NULL) && !end_of_stream ? 1 : 0;
}

void proxy_on_downstream_connection_close(uint32_t context_id, uint32_t peer_type)
{
    say("downstream close %u peer %u", context_id, peer_type);
    read_buffer("at close downstream", 2, 100);
}

void proxy_on_upstream_connection_close(uint32_t context_id, uint32_t peer_type)
{
    say("upstream close %u peer %u", context_id, peer_type);
}

uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)headers; (void)end_of_stream;
    say("request %u", context_id);
    property("request", "plugin_root_id");
    say("effective root %u: status %d", g_parent[slot(context_id)], proxy_set_effective_context(g_parent[slot(context_id)]));
    property("effective", "plugin_root_id");
    say("effective back: status %d", proxy_set_effective_context(context_id));
    say("continue downstream on a stream: status %d", proxy_continue_stream(2));
    if (has(context_id, "queue", NULL)) {
        uint8_t *path = NULL;
        size_t size = 0;
        proxy_get_header_map_value(0, (const uint8_t *)":path", 5, &path, &size);
        enqueue(context_id, path, size);
        free(path);
    }
    return 0;
}

void proxy_on_queue_ready(uint32_t context_id, uint32_t queue_id)
{
    say("queue ready %u queue %u", context_id, queue_id);
    for (;;) {
        uint8_t *data = NULL;
        size_t size = 0;
        int32_t status = proxy_dequeue_shared_queue(queue_id, &data, &size);
        say("dequeue: status %d '%.*s'", status, (int)size, data != NULL ? (const char *)data : "");
        free(data);
        if (status != 0) {
            break;
        }
    }
}

void proxy_on_foreign_function(uint32_t context_id, uint32_t function_id, uint32_t arguments_size)
{
    say("foreign function %u id %u size %u", context_id, function_id, arguments_size);
    read_buffer("arguments", 8, arguments_size);
    read_buffer("configuration outside configure", 7, 100);
    call_foreign("inside", "compress", "again");
}

uint32_t proxy_on_done(uint32_t context_id)
{
    say("done %u", context_id);
    if (g_parent[slot(context_id)] != context_id && has(context_id, "later", NULL)) {
        if (has(context_id, "done-now", NULL)) {
            say("proxy_done: status %d", proxy_done());
        }
        return 0;
    }
    return 1;
}

void proxy_on_log(uint32_t context_id)
{
    say("log %u", context_id);
}

void proxy_on_delete(uint32_t context_id)
{
    say("delete %u", context_id);
}
