/*
 * proxywasm_host: a minimal Proxy-Wasm ABI v0.2.1 host for the native (linux-x64 NativeAOT) build of a filter.
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -rdynamic -o proxywasm_host proxywasm_host.c -ldl
 * Run:    proxywasm_host <module.so> <input.tsv | ->
 *
 * The module is a shared library whose dynamic symbol table is the module's ABI: it exports the marker
 * proxy_abi_version_0_2_1, the allocator proxy_on_memory_allocate and proxy_on_* callbacks, and leaves the env.proxy_*
 * host functions undefined. This program defines every host function of v0.2.1 as an exported C symbol (-rdynamic), so
 * dlopen() binds the module's undefined proxy_* symbols to them, the native counterpart of instantiating a wasm module
 * with the env imports. It then drives one plugin (root context 1) and N HTTP streams (contexts 2..N+1) in the order
 * proxy-wasm-cpp-host uses, with Envoy's header semantics, and prints what happened, one tab-separated record a line.
 *
 * HTTP callouts: proxy_http_call checks the call as Envoy does (a known cluster; :method, :path and :authority, else
 * BadArgument), records it and returns tokens 4, 8, 12... When a stream's request or response headers callback returns
 * a Stop action, the host answers the calls that stream made, oldest first, while it stays paused (not resumed with
 * proxy_continue_stream, no local response): proxy_on_http_call_response(1, token, headers, body size, trailers) on the
 * root context, as cpp-host does, the answer readable as maps 6/7, buffer 4 and proxy_get_status during the callback.
 * The module routes it with proxy_set_effective_context(stream): host calls then act on that stream. A stream resumed
 * in its direction goes on as if its callback had returned Continue (a resumed response goes downstream with what the
 * module changed in it).
 *
 * gRPC callouts: proxy_grpc_call and proxy_grpc_stream check the cluster (unknown: ParseFailure, as Envoy's grpcCall
 * answers) and the initial metadata, record the call and return tokens of their own spaces, as cpp-host numbers them:
 * unary calls 5, 9, 13..., streams 6, 10, 14... They are answered with the HTTP calls, oldest first, while the stream
 * that made them is paused, each answer one or more callbacks on the root context: the initial metadata
 * (proxy_on_grpc_receive_initial_metadata, map 4) when configured, then for a unary call the trailing metadata
 * (proxy_on_grpc_receive_trailing_metadata, map 5) when configured and its one last answer, a message
 * (proxy_on_grpc_receive, buffer 5) or a close (proxy_on_grpc_close; proxy_get_status gives its code and message); for
 * a stream the message (unless only a close is configured), the trailing metadata, then the close (default: 0, no
 * message). A callback the module does not export is skipped. A call the module closed or cancelled (proxy_grpc_close,
 * proxy_grpc_cancel) gets no more answers; those and proxy_grpc_send answer NotFound for a token no open call or stream
 * has, BadArgument for a token of the wrong kind (and proxy_grpc_send after end of stream).
 *
 * Ticks: proxy_set_tick_period_milliseconds records the period (0 stops the timer, as in Envoy). The input key ticks
 * gives how many times in all the host calls proxy_on_tick(1), on the root context, one tick at a time and only while
 * the module exports it and a non-zero period is set: while a stream is paused (in either direction) and none of its
 * calls is left to answer, until the stream is resumed or no tick is left (so a plugin that resumes a postponed
 * stream, proxy_set_effective_context(stream) then proxy_continue_stream, sends it on at once); the ticks still left
 * after the last stream, before the plugin shuts down. After each tick the host answers every call made on the root
 * context, oldest first, on the root context (the module routes it to the plugin): the calls a plugin dispatches from
 * its tick are answered before the next one. Streams run one after the other, so a tick sees one live stream at most.
 *
 * Input: tab-separated lines; values use the escapes of the output (\\ \t \n \r \xHH). Lines starting with # are
 * comments. Keys:
 *   root_id <id>                   plugin_root_id property (default: empty)
 *   vm_configuration <bytes>       VM configuration buffer (default: empty)
 *   plugin_configuration <bytes>   plugin configuration buffer (default: empty)
 *   log_level <0..5>               what proxy_get_log_level returns (default: 2, info, Envoy's default)
 *   request_header <name> <value>  a request header (names are lower-cased, as Envoy does); repeat for more
 *   response_header <name> <value> a header of the upstream response; repeat for more
 *   property <path> <value>        a property for proxy_get_property (path segments joined by \x00)
 *   streams <n>                    how many streams to run with the same request (default: 1)
 *   cluster <name>                 an upstream proxy_http_call and proxy_grpc_call/_stream accept; repeat for more
 *                                  (default: any upstream)
 *   callout_response_header <name> <value>   a header of the answer to every HTTP call; repeat for more
 *                                  (default: :status 200)
 *   callout_response_body <bytes>  the body of that answer (default: empty)
 *   callout_response_trailer <name> <value>  a trailer of that answer; repeat for more
 *   callout_failure reset|timeout  fail every call instead: reset answers with no headers, body or trailers and
 *                                  proxy_get_status gives 11 (BrokenConnection) "reset"; timeout answers like
 *                                  Envoy's async client (:status 504, content-type text/plain, upstream request timeout)
 *   grpc_response_message <bytes>  the message that answers every gRPC call and stream (default: empty, status OK)
 *   grpc_close <code> [<message>]  end every unary call with proxy_on_grpc_close(code) instead of a message, and every
 *                                  stream with that code (after a message only when grpc_response_message is given;
 *                                  default for streams: a message, then 0 and no message); proxy_get_status gives the
 *                                  code and message during the callback
 *   grpc_initial_metadata <name> <value>    initial metadata delivered first to every gRPC call; repeat for more
 *   grpc_trailing_metadata <name> <value>   trailing metadata delivered before a unary call's last answer and after a
 *                                  stream's message; repeat for more (Envoy delivers no metadata for unary calls)
 *   ticks <n>                      proxy_on_tick calls to make in all, as described above (default: 0)
 *   clock <ns>                     what proxy_get_current_time_nanoseconds returns, nanoseconds since the Unix epoch
 *                                  (default: the real time)
 *
 * Output records (fields separated by tabs, values escaped):
 *   module_export <name>                       a known v0.2.1 callback the module exports (dlsym)
 *   call <ctx> <callback> <args,...> <result>  a callback was called; result '-' for void callbacks
 *   hostcall <ctx> <function> <status>         the module called a host function; status as returned; ctx is the
 *                                              effective context (the callback's unless proxy_set_effective_context)
 *   log <ctx> <level> <message>                proxy_log (ctx: the effective context)
 *   tick_period <ctx> <ms>                     proxy_set_tick_period_milliseconds (ctx: the effective context)
 *   http_call <ctx> <token> <cluster> <timeout_ms>   proxy_http_call accepted a call made on ctx (effective context)
 *   http_call_header <token> <name> <value>    its headers, in order, as serialized by the module
 *   http_call_body <token> <body>              its body, when not empty
 *   http_call_trailer <token> <name> <value>   its trailers
 *   http_call_pending <ctx> <token>            a call never answered (printed before the plugin shuts down): its
 *                                              stream did not pause, or was resumed first; a root call, no tick after it
 *   grpc_call <ctx> <token> <cluster> <service> <method> <timeout_ms>   proxy_grpc_call accepted a unary call
 *   grpc_stream <ctx> <token> <cluster> <service> <method>              proxy_grpc_stream accepted a stream
 *   grpc_call_metadata <token> <name> <value>  the initial metadata the module sent with a call or stream
 *   grpc_call_message <token> <message>        the request message of a unary call, when not empty
 *   grpc_send <token> <end_of_stream> <message>   proxy_grpc_send accepted a message on a stream
 *   grpc_ended <ctx> <token> close|cancel      the module ended a call or stream (proxy_grpc_close/_cancel)
 *   grpc_pending <ctx> <token>                 a gRPC call or stream never answered nor ended by the module
 *   request_resumed <ctx>                      proxy_continue_stream(HTTP_REQUEST) on stream ctx
 *   response_resumed <ctx>                     proxy_continue_stream(HTTP_RESPONSE) on stream ctx
 *   local_response <ctx> <status> <details> <body> <grpc_status>
 *   local_response_header <ctx> <name> <value>
 *   upstream_header <ctx> <name> <value>       request headers as sent upstream (request continued)
 *   request_stopped <ctx> <action>             the request was not sent upstream (no local response)
 *   response_stopped <ctx> <action>            the response was not sent downstream (no local response)
 *   downstream_header <ctx> <name> <value>     response headers as sent downstream (incl. :status)
 *   downstream_body <ctx> <body>               body of a local response sent downstream
 *   plugin_rejected <callback> <result>        proxy_on_vm_start/proxy_on_configure returned false: no streams
 *   done_pending <ctx>                         proxy_on_done returned false and proxy_done was not called
 *   allocations <count> <bytes>                calls of proxy_on_memory_allocate, total bytes
 *   error <message>                            a protocol violation; the exit status is then non-zero
 *
 * Host data is always allocated in the module by calling its proxy_on_memory_allocate export, never with malloc, as
 * proxy-wasm-cpp-host does for a module that exports no malloc; the module owns and frees those blocks.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- ABI constants (proxy_status_t, map and buffer types) ---- */

enum {
    ST_OK = 0,
    ST_NOT_FOUND = 1,
    ST_BAD_ARGUMENT = 2,
    ST_PARSE_FAILURE = 4,
    ST_INVALID_MEMORY_ACCESS = 6,
    ST_INTERNAL_FAILURE = 10,
    ST_BROKEN_CONNECTION = 11,
    ST_UNIMPLEMENTED = 12,
};

enum {
    MAP_REQUEST_HEADERS = 0,
    MAP_REQUEST_TRAILERS = 1,
    MAP_RESPONSE_HEADERS = 2,
    MAP_RESPONSE_TRAILERS = 3,
    MAP_GRPC_RECEIVE_INITIAL_METADATA = 4,
    MAP_GRPC_RECEIVE_TRAILING_METADATA = 5,
    MAP_HTTP_CALL_RESPONSE_HEADERS = 6,
    MAP_HTTP_CALL_RESPONSE_TRAILERS = 7,
};

enum {
    BUF_HTTP_CALL_RESPONSE_BODY = 4,
    BUF_GRPC_RECEIVE_BUFFER = 5,
    BUF_VM_CONFIGURATION = 6,
    BUF_PLUGIN_CONFIGURATION = 7,
};

#define ROOT_CONTEXT_ID 1u
#define MAX_PAIRS 1024u            /* PROXY_WASM_HOST_PAIRS_MAX_COUNT */
#define MAX_PAIRS_BYTES (1u << 20) /* PROXY_WASM_HOST_PAIRS_MAX_BYTES */
#define MAX_ANSWERS_PER_PAUSE 1000u /* a module that dispatches a new call in every answer must not hang the host */

/* ---- byte strings ---- */

typedef struct {
    uint8_t *data;
    size_t size;
} bytes_t;

static void *xmalloc(size_t size)
{
    void *p = malloc(size == 0 ? 1 : size);
    if (p == NULL) {
        fprintf(stderr, "proxywasm_host: out of memory\n");
        exit(70);
    }
    return p;
}

static bytes_t bytes_copy(const uint8_t *data, size_t size)
{
    bytes_t b = { xmalloc(size + 1), size };
    if (size > 0) {
        memcpy(b.data, data, size);
    }
    b.data[size] = 0;
    return b;
}

static bytes_t bytes_lower(const uint8_t *data, size_t size)
{
    bytes_t b = bytes_copy(data, size);
    for (size_t i = 0; i < size; i++) {
        b.data[i] = (uint8_t)tolower(b.data[i]);
    }
    return b;
}

static int bytes_equal(bytes_t a, const uint8_t *data, size_t size)
{
    return a.size == size && (size == 0 || memcmp(a.data, data, size) == 0);
}

/* ---- output ---- */

static int g_errors;

static void put_escaped(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        switch (c) {
        case '\\': fputs("\\\\", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                printf("\\x%02x", c);
            } else {
                putchar(c);
            }
        }
    }
}

/* Prints one record: kind, then fields. Format letters: u (uint32), d (int32), s (C string, escaped),
   b (bytes_t*, escaped), r (raw pointer + size, escaped). */
static void record(const char *kind, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs(kind, stdout);
    for (const char *f = format; *f; f++) {
        putchar('\t');
        switch (*f) {
        case 'u': printf("%u", va_arg(args, unsigned)); break;
        case 'd': printf("%d", va_arg(args, int)); break;
        case 's': { const char *s = va_arg(args, const char *); put_escaped((const uint8_t *)s, strlen(s)); break; }
        case 'b': { const bytes_t *b = va_arg(args, const bytes_t *); put_escaped(b->data, b->size); break; }
        case 'r': { const uint8_t *p = va_arg(args, const uint8_t *); size_t n = va_arg(args, size_t); put_escaped(p, n); break; }
        default: abort();
        }
    }
    putchar('\n');
    fflush(stdout);
    va_end(args);
}

static void protocol_error(const char *format, ...)
{
    char message[512];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    record("error", "s", message);
    g_errors++;
}

/* ---- header maps (ordered multimap, lower-case keys) ---- */

typedef struct {
    bytes_t key;
    bytes_t value;
} header_t;

typedef struct {
    header_t *items;
    size_t count;
    size_t capacity;
} header_map_t;

static void map_add(header_map_t *map, const uint8_t *key, size_t key_size, const uint8_t *value, size_t value_size)
{
    if (map->count == map->capacity) {
        map->capacity = map->capacity == 0 ? 8 : map->capacity * 2;
        header_t *items = realloc(map->items, map->capacity * sizeof *items);
        if (items == NULL) {
            fprintf(stderr, "proxywasm_host: out of memory\n");
            exit(70);
        }
        map->items = items;
    }
    map->items[map->count].key = bytes_lower(key, key_size);
    map->items[map->count].value = bytes_copy(value, value_size);
    map->count++;
}

static void map_remove(header_map_t *map, const uint8_t *key, size_t key_size)
{
    bytes_t lower = bytes_lower(key, key_size);
    size_t kept = 0;
    for (size_t i = 0; i < map->count; i++) {
        if (bytes_equal(map->items[i].key, lower.data, lower.size)) {
            free(map->items[i].key.data);
            free(map->items[i].value.data);
        } else {
            map->items[kept++] = map->items[i];
        }
    }
    map->count = kept;
    free(lower.data);
}

static void map_clear(header_map_t *map)
{
    for (size_t i = 0; i < map->count; i++) {
        free(map->items[i].key.data);
        free(map->items[i].value.data);
    }
    map->count = 0;
}

static void map_copy(header_map_t *to, const header_map_t *from)
{
    map_clear(to);
    for (size_t i = 0; i < from->count; i++) {
        map_add(to, from->items[i].key.data, from->items[i].key.size, from->items[i].value.data, from->items[i].value.size);
    }
}

/* Envoy returns every value of a repeated header joined with ','. Returns 0 when the key is absent. */
static int map_get(const header_map_t *map, const uint8_t *key, size_t key_size, bytes_t *joined)
{
    bytes_t lower = bytes_lower(key, key_size);
    size_t total = 0, found = 0;
    for (size_t i = 0; i < map->count; i++) {
        if (bytes_equal(map->items[i].key, lower.data, lower.size)) {
            total += map->items[i].value.size + (found > 0 ? 1 : 0);
            found++;
        }
    }
    if (found > 0) {
        /* values in map order, separated by ',' */
        joined->data = xmalloc(total + 1);
        size_t written = 0, index = 0;
        for (size_t i = 0; i < map->count; i++) {
            if (bytes_equal(map->items[i].key, lower.data, lower.size)) {
                if (index++ > 0) {
                    joined->data[written++] = ',';
                }
                memcpy(joined->data + written, map->items[i].value.data, map->items[i].value.size);
                written += map->items[i].value.size;
            }
        }
        joined->size = written;
    }
    free(lower.data);
    return found > 0;
}

/* The pairs format: u32 count, count x (u32 key size, u32 value size), then key\0value\0 for each pair (little-endian;
   this host runs on x86-64, which is little-endian like wasm). */
static size_t pairs_size(const header_map_t *map)
{
    size_t size = 4;
    for (size_t i = 0; i < map->count; i++) {
        size += 8 + map->items[i].key.size + 1 + map->items[i].value.size + 1;
    }
    return size;
}

static void pairs_write(const header_map_t *map, uint8_t *out)
{
    uint32_t count = (uint32_t)map->count;
    memcpy(out, &count, 4);
    uint8_t *sizes = out + 4;
    uint8_t *data = sizes + 8 * map->count;
    for (size_t i = 0; i < map->count; i++) {
        uint32_t k = (uint32_t)map->items[i].key.size, v = (uint32_t)map->items[i].value.size;
        memcpy(sizes + 8 * i, &k, 4);
        memcpy(sizes + 8 * i + 4, &v, 4);
        memcpy(data, map->items[i].key.data, k);
        data += k;
        *data++ = 0;
        memcpy(data, map->items[i].value.data, v);
        data += v;
        *data++ = 0;
    }
}

/* proxy-wasm-cpp-host toPairs: strict; any malformed buffer yields an empty map (and is reported here). */
static int pairs_read(const uint8_t *buffer, size_t size, header_map_t *map, const char *what)
{
    map_clear(map);
    if (size == 0 || size == 1) {
        return 1; /* the spec's empty encodings */
    }
    if (buffer == NULL || size < 4 || size > MAX_PAIRS_BYTES) {
        protocol_error("%s: pairs buffer of %zu bytes is malformed", what, size);
        return 0;
    }
    uint32_t count;
    memcpy(&count, buffer, 4);
    if (count > MAX_PAIRS || 4 + (size_t)count * 8 > size) {
        protocol_error("%s: pairs buffer declares %u pairs in %zu bytes", what, count, size);
        return 0;
    }
    const uint8_t *sizes = buffer + 4;
    const uint8_t *data = sizes + (size_t)count * 8;
    const uint8_t *end = buffer + size;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t k, v;
        memcpy(&k, sizes + 8 * (size_t)i, 4);
        memcpy(&v, sizes + 8 * (size_t)i + 4, 4);
        if ((size_t)(end - data) < (size_t)k + 1 || data[k] != 0) {
            map_clear(map);
            protocol_error("%s: pair %u key overruns the buffer or lacks its NUL", what, i);
            return 0;
        }
        const uint8_t *key = data;
        data += k + 1;
        if ((size_t)(end - data) < (size_t)v + 1 || data[v] != 0) {
            map_clear(map);
            protocol_error("%s: pair %u value overruns the buffer or lacks its NUL", what, i);
            return 0;
        }
        map_add(map, key, k, data, v);
        data += v + 1;
    }
    if (data != end) {
        map_clear(map);
        protocol_error("%s: %zu trailing bytes after the pairs", what, (size_t)(end - data));
        return 0;
    }
    return 1;
}

/* ---- state ---- */

typedef struct {
    bytes_t path;
    bytes_t value;
} property_t;

typedef enum { FAILURE_NONE, FAILURE_RESET, FAILURE_TIMEOUT } failure_t;

static struct {
    bytes_t root_id;
    bytes_t vm_configuration;
    bytes_t plugin_configuration;
    int32_t log_level;
    header_map_t input_request;
    header_map_t input_response;
    property_t *properties;
    size_t property_count;
    unsigned streams;
    bytes_t *clusters;              /* proxy_http_call accepts only these upstreams; any when there is none */
    size_t cluster_count;
    header_map_t callout_headers;   /* the answer to every HTTP call (default: :status 200) */
    header_map_t callout_trailers;
    bytes_t callout_body;
    failure_t callout_failure;
    header_map_t grpc_initial_metadata;   /* delivered first to every gRPC call, when not empty */
    header_map_t grpc_trailing_metadata;
    bytes_t grpc_message;           /* the message that answers every gRPC call (default: empty) */
    int grpc_message_given;
    int grpc_close_given;           /* end every unary call with a close instead, and streams with this code */
    uint32_t grpc_close_code;
    bytes_t grpc_close_message;
    unsigned ticks;                 /* proxy_on_tick calls to make in all */
    int clock_given;                /* proxy_get_current_time_nanoseconds gives clock instead of the real time */
    uint64_t clock;
} g_input;

typedef enum { PHASE_NONE, PHASE_VM_START, PHASE_CONFIGURE, PHASE_REQUEST, PHASE_RESPONSE, PHASE_DONE } phase_t;

enum { STREAM_REQUEST = 0, STREAM_RESPONSE = 1 }; /* proxy_stream_type_t of the HTTP directions */

/* Callout kinds: the low bits of their tokens, as cpp-host numbers them (HTTP 4, 8...; gRPC calls 5, 9...; streams 6,
   10...). */
typedef enum { CALLOUT_HTTP = 0, CALLOUT_GRPC_CALL = 1, CALLOUT_GRPC_STREAM = 2 } callout_kind_t;

/* An HTTP or gRPC call the module dispatched: cpp-host registers it on the root context; this host answers it while
   the stream that made it is paused. */
typedef struct {
    uint32_t token;
    uint32_t context;  /* the effective context when it was dispatched */
    callout_kind_t kind;
    int answered;      /* the host answered it (or is answering: a gRPC answer is several callbacks) */
    int ended;         /* gRPC: no more answers (its last one was delivered, or the module closed or cancelled it) */
    int half_closed;   /* gRPC stream: the module sent end of stream */
} callout_t;

/* The gRPC callback running, which decides what maps 4/5, buffer 5 and proxy_get_status give. */
typedef enum { GRPC_NONE, GRPC_INITIAL_METADATA, GRPC_MESSAGE, GRPC_TRAILING_METADATA, GRPC_CLOSE } grpc_answer_t;

static struct {
    uint32_t context;      /* the context of the running callback (0 outside callbacks) */
    uint32_t effective;    /* the context host calls act on: the callback's, until proxy_set_effective_context */
    uint32_t stream;       /* the live stream context (0 when none): streams run one after the other */
    phase_t phase;
    header_map_t maps[4];  /* request headers/trailers, response headers/trailers of the current stream */
    int response_started;  /* response maps exist only once the upstream response arrived */
    int local_response_sent;
    int resumed[2];        /* proxy_continue_stream(request/response) called during this stream */
    int done_called;
    callout_t *calls;      /* every HTTP and gRPC call dispatched, in order */
    size_t call_count;
    uint32_t last_token[3]; /* the last token of each callout kind: cpp-host adds 4, the low bits hold the kind */
    int answering;         /* proxy_on_http_call_response is running... */
    int answer_failed;     /* ...for a failed call: no response maps, no body */
    header_map_t call_maps[2];    /* the response headers and trailers of the call being answered */
    const bytes_t *call_body;     /* and its body */
    grpc_answer_t grpc_answer;    /* the gRPC callback running, if any */
    header_map_t grpc_metadata;   /* the metadata it delivers (map 4 or 5) */
    uint32_t status_code;         /* proxy_get_status: code and message of the call being answered */
    bytes_t status_message;
    uint32_t tick_period;         /* proxy_set_tick_period_milliseconds; 0: no timer, no ticks */
    unsigned ticks_left;          /* proxy_on_tick calls still to make */
    unsigned long allocations;
    unsigned long long allocated_bytes;
} g;

/* ---- the module ---- */

typedef void *(*allocate_fn)(size_t);
typedef void (*void0_fn)(void);
typedef void (*void1_fn)(uint32_t);
typedef void (*void2_fn)(uint32_t, uint32_t);
typedef void (*void3_fn)(uint32_t, uint32_t, uint32_t);
typedef uint32_t (*word1_fn)(uint32_t);
typedef uint32_t (*word2_fn)(uint32_t, uint32_t);
typedef uint32_t (*word3_fn)(uint32_t, uint32_t, uint32_t);
typedef void (*void5_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

static struct {
    allocate_fn allocate;
    word2_fn on_vm_start;
    word2_fn on_configure;
    void2_fn on_context_create;
    word3_fn on_request_headers;
    word3_fn on_response_headers;
    void5_fn on_http_call_response;
    void3_fn on_grpc_receive_initial_metadata;
    void3_fn on_grpc_receive;
    void3_fn on_grpc_receive_trailing_metadata;
    void3_fn on_grpc_close;
    void1_fn on_tick;
    word1_fn on_done;
    void1_fn on_log;
    void1_fn on_delete;
} m;

/* Every callback of ABI v0.2.1 (spec "Callbacks"), to report which ones the module exports. */
static const char *const k_callbacks[] = {
    "proxy_on_memory_allocate", "proxy_on_context_create", "proxy_on_done", "proxy_on_log", "proxy_on_delete",
    "proxy_on_vm_start", "proxy_on_configure", "proxy_on_tick", "proxy_on_new_connection",
    "proxy_on_downstream_data", "proxy_on_downstream_connection_close", "proxy_on_upstream_data",
    "proxy_on_upstream_connection_close", "proxy_on_request_headers", "proxy_on_request_body",
    "proxy_on_request_trailers", "proxy_on_response_headers", "proxy_on_response_body", "proxy_on_response_trailers",
    "proxy_on_http_call_response", "proxy_on_grpc_receive_initial_metadata", "proxy_on_grpc_receive",
    "proxy_on_grpc_receive_trailing_metadata", "proxy_on_grpc_close", "proxy_on_queue_ready",
    "proxy_on_foreign_function",
};

/* Copies data into a block the module allocates (cpp-host copyToPointerSize): nothing is allocated for empty data,
   and the outputs are then null/0. */
static int32_t copy_to_module(const uint8_t *data, size_t size, uint8_t **out_data, size_t *out_size)
{
    if (out_data == NULL || out_size == NULL) {
        return ST_INVALID_MEMORY_ACCESS;
    }
    if (size == 0) {
        *out_data = NULL;
        *out_size = 0;
        return ST_OK;
    }
    uint8_t *block = m.allocate(size);
    g.allocations++;
    g.allocated_bytes += size;
    if (block == NULL) {
        protocol_error("proxy_on_memory_allocate(%zu) returned null", size);
        return ST_INVALID_MEMORY_ACCESS;
    }
    memcpy(block, data, size);
    *out_data = block;
    *out_size = size;
    return ST_OK;
}

static int32_t hostcall(const char *name, int32_t status)
{
    record("hostcall", "usd", g.effective, name, status);
    return status;
}

static int valid_input(const void *data, size_t size)
{
    return data != NULL || size == 0;
}

/* Whether host calls act on the live stream: its own callback, or another context made it the effective one. */
static int on_stream(void)
{
    return g.stream != 0 && g.effective == g.stream;
}

static header_map_t *get_map(int32_t type)
{
    switch (type) {
    case MAP_REQUEST_HEADERS:
    case MAP_REQUEST_TRAILERS:
        return on_stream() && (g.phase == PHASE_REQUEST || g.phase == PHASE_RESPONSE || g.phase == PHASE_DONE) ? &g.maps[type] : NULL;
    case MAP_RESPONSE_HEADERS:
    case MAP_RESPONSE_TRAILERS:
        return on_stream() && g.response_started ? &g.maps[type] : NULL;
    case MAP_HTTP_CALL_RESPONSE_HEADERS:
    case MAP_HTTP_CALL_RESPONSE_TRAILERS:
        /* Envoy: only while a call is answered, and not when it failed (there is no response) */
        return g.answering && !g.answer_failed ? &g.call_maps[type - MAP_HTTP_CALL_RESPONSE_HEADERS] : NULL;
    case MAP_GRPC_RECEIVE_INITIAL_METADATA:
        return g.grpc_answer == GRPC_INITIAL_METADATA ? &g.grpc_metadata : NULL; /* Envoy: only during its callback */
    case MAP_GRPC_RECEIVE_TRAILING_METADATA:
        return g.grpc_answer == GRPC_TRAILING_METADATA ? &g.grpc_metadata : NULL;
    default:
        return NULL;
    }
}

/* ---- host functions: logging and time ---- */

int32_t proxy_log(int32_t level, const uint8_t *message_data, size_t message_size)
{
    if (!valid_input(message_data, message_size)) {
        return hostcall("proxy_log", ST_INVALID_MEMORY_ACCESS);
    }
    if (level < 0 || level > 5) {
        return hostcall("proxy_log", ST_BAD_ARGUMENT);
    }
    record("log", "udr", g.effective, level, message_data, message_size);
    return hostcall("proxy_log", ST_OK);
}

int32_t proxy_get_log_level(int32_t *return_log_level)
{
    if (return_log_level == NULL) {
        return hostcall("proxy_get_log_level", ST_INVALID_MEMORY_ACCESS);
    }
    *return_log_level = g_input.log_level;
    return hostcall("proxy_get_log_level", ST_OK);
}

int32_t proxy_get_current_time_nanoseconds(uint64_t *return_time)
{
    struct timespec now;
    if (return_time == NULL) {
        return hostcall("proxy_get_current_time_nanoseconds", ST_INVALID_MEMORY_ACCESS);
    }
    clock_gettime(CLOCK_REALTIME, &now);
    *return_time = g_input.clock_given ? g_input.clock : (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    return hostcall("proxy_get_current_time_nanoseconds", ST_OK);
}

/* Envoy sets the timer of the root context (0 stops it); this host ticks only while a period is set. */
int32_t proxy_set_tick_period_milliseconds(uint32_t tick_period_milliseconds)
{
    g.tick_period = tick_period_milliseconds;
    record("tick_period", "uu", g.effective, tick_period_milliseconds);
    return hostcall("proxy_set_tick_period_milliseconds", ST_OK);
}

/* ---- buffers: the VM and plugin configuration, each readable in its own callback; an HTTP call's response body and a
   gRPC message, during their answers ---- */

static const bytes_t *get_buffer(int32_t type)
{
    if (type == BUF_HTTP_CALL_RESPONSE_BODY && g.answering && !g.answer_failed) {
        return g.call_body;
    }
    if (type == BUF_GRPC_RECEIVE_BUFFER && g.grpc_answer == GRPC_MESSAGE) {
        return &g_input.grpc_message;
    }
    if (type == BUF_VM_CONFIGURATION && g.phase == PHASE_VM_START) {
        return &g_input.vm_configuration;
    }
    if (type == BUF_PLUGIN_CONFIGURATION && g.phase == PHASE_CONFIGURE) {
        return &g_input.plugin_configuration;
    }
    return NULL; /* no stream bodies in this host */
}

int32_t proxy_get_buffer_status(int32_t buffer_type, size_t *return_buffer_size, uint32_t *return_flags)
{
    if (return_buffer_size == NULL || return_flags == NULL) {
        return hostcall("proxy_get_buffer_status", ST_INVALID_MEMORY_ACCESS);
    }
    if (buffer_type < 0 || buffer_type > 8) {
        return hostcall("proxy_get_buffer_status", ST_BAD_ARGUMENT);
    }
    const bytes_t *buffer = get_buffer(buffer_type);
    if (buffer == NULL) {
        return hostcall("proxy_get_buffer_status", ST_NOT_FOUND);
    }
    *return_buffer_size = buffer->size;
    *return_flags = 0;
    return hostcall("proxy_get_buffer_status", ST_OK);
}

int32_t proxy_get_buffer_bytes(int32_t buffer_type, size_t start, size_t max_size, uint8_t **return_buffer_data, size_t *return_buffer_size)
{
    if (buffer_type < 0 || buffer_type > 8 || start + max_size < start) {
        return hostcall("proxy_get_buffer_bytes", ST_BAD_ARGUMENT);
    }
    const bytes_t *buffer = get_buffer(buffer_type);
    if (buffer == NULL) {
        return hostcall("proxy_get_buffer_bytes", ST_NOT_FOUND);
    }
    /* Envoy copies substr(start, max_size): clamped to the buffer. */
    size_t from = start < buffer->size ? start : buffer->size;
    size_t length = buffer->size - from < max_size ? buffer->size - from : max_size;
    return hostcall("proxy_get_buffer_bytes", copy_to_module(buffer->data + from, length, return_buffer_data, return_buffer_size));
}

int32_t proxy_set_buffer_bytes(int32_t buffer_type, size_t start, size_t size, const uint8_t *buffer_data, size_t buffer_size)
{
    (void)buffer_type; (void)start; (void)size; (void)buffer_data; (void)buffer_size;
    return hostcall("proxy_set_buffer_bytes", ST_UNIMPLEMENTED);
}

/* ---- header maps ---- */

int32_t proxy_get_header_map_size(int32_t map_type, size_t *return_serialized_pairs_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_get_header_map_size", ST_BAD_ARGUMENT);
    }
    if (return_serialized_pairs_size == NULL) {
        return hostcall("proxy_get_header_map_size", ST_INVALID_MEMORY_ACCESS);
    }
    *return_serialized_pairs_size = pairs_size(map);
    return hostcall("proxy_get_header_map_size", ST_OK);
}

int32_t proxy_get_header_map_pairs(int32_t map_type, uint8_t **return_serialized_pairs_data, size_t *return_serialized_pairs_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_get_header_map_pairs", ST_BAD_ARGUMENT);
    }
    if (map->count == 0) { /* cpp-host returns an empty map as null/0 */
        return hostcall("proxy_get_header_map_pairs", copy_to_module(NULL, 0, return_serialized_pairs_data, return_serialized_pairs_size));
    }
    size_t size = pairs_size(map);
    uint8_t *buffer = xmalloc(size);
    pairs_write(map, buffer);
    int32_t status = copy_to_module(buffer, size, return_serialized_pairs_data, return_serialized_pairs_size);
    free(buffer);
    return hostcall("proxy_get_header_map_pairs", status);
}

int32_t proxy_set_header_map_pairs(int32_t map_type, const uint8_t *serialized_pairs_data, size_t serialized_pairs_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_set_header_map_pairs", ST_BAD_ARGUMENT);
    }
    if (!valid_input(serialized_pairs_data, serialized_pairs_size)) {
        return hostcall("proxy_set_header_map_pairs", ST_INVALID_MEMORY_ACCESS);
    }
    pairs_read(serialized_pairs_data, serialized_pairs_size, map, "proxy_set_header_map_pairs");
    return hostcall("proxy_set_header_map_pairs", ST_OK);
}

int32_t proxy_get_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, uint8_t **return_value_data, size_t *return_value_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_get_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size)) {
        return hostcall("proxy_get_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    bytes_t value;
    if (!map_get(map, key_data, key_size, &value)) {
        return hostcall("proxy_get_header_map_value", ST_NOT_FOUND);
    }
    int32_t status = copy_to_module(value.data, value.size, return_value_data, return_value_size);
    free(value.data);
    return hostcall("proxy_get_header_map_value", status);
}

int32_t proxy_add_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, const uint8_t *value_data, size_t value_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_add_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size) || !valid_input(value_data, value_size)) {
        return hostcall("proxy_add_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    map_add(map, key_data, key_size, value_data, value_size);
    return hostcall("proxy_add_header_map_value", ST_OK);
}

int32_t proxy_replace_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size, const uint8_t *value_data, size_t value_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_replace_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size) || !valid_input(value_data, value_size)) {
        return hostcall("proxy_replace_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    map_remove(map, key_data, key_size);
    map_add(map, key_data, key_size, value_data, value_size);
    return hostcall("proxy_replace_header_map_value", ST_OK);
}

int32_t proxy_remove_header_map_value(int32_t map_type, const uint8_t *key_data, size_t key_size)
{
    header_map_t *map = get_map(map_type);
    if (map == NULL) {
        return hostcall("proxy_remove_header_map_value", ST_BAD_ARGUMENT);
    }
    if (!valid_input(key_data, key_size)) {
        return hostcall("proxy_remove_header_map_value", ST_INVALID_MEMORY_ACCESS);
    }
    map_remove(map, key_data, key_size);
    return hostcall("proxy_remove_header_map_value", ST_OK);
}

/* ---- stream control ---- */

int32_t proxy_continue_stream(int32_t stream_type)
{
    if (!on_stream() || (stream_type != STREAM_REQUEST && stream_type != STREAM_RESPONSE)) {
        return hostcall("proxy_continue_stream", ST_BAD_ARGUMENT); /* Envoy: only the HTTP directions of a stream */
    }
    g.resumed[stream_type] = 1;
    record(stream_type == STREAM_REQUEST ? "request_resumed" : "response_resumed", "u", g.stream);
    return hostcall("proxy_continue_stream", ST_OK);
}

int32_t proxy_close_stream(int32_t stream_type)
{
    (void)stream_type;
    return hostcall("proxy_close_stream", ST_UNIMPLEMENTED);
}

int32_t proxy_send_local_response(uint32_t status_code, const uint8_t *status_code_details_data, size_t status_code_details_size,
                                  const uint8_t *body_data, size_t body_size, const uint8_t *serialized_headers_data,
                                  size_t serialized_headers_size, int32_t grpc_status)
{
    if (!valid_input(status_code_details_data, status_code_details_size) || !valid_input(body_data, body_size)
        || !valid_input(serialized_headers_data, serialized_headers_size)) {
        return hostcall("proxy_send_local_response", ST_INVALID_MEMORY_ACCESS);
    }
    if (!on_stream() || (g.phase != PHASE_REQUEST && g.phase != PHASE_RESPONSE)) {
        protocol_error("proxy_send_local_response outside a stream callback (context %u, effective %u)", g.context, g.effective);
        return hostcall("proxy_send_local_response", ST_BAD_ARGUMENT);
    }
    header_map_t headers = { 0 };
    pairs_read(serialized_headers_data, serialized_headers_size, &headers, "proxy_send_local_response headers");
    record("local_response", "uurrd", g.stream, status_code, status_code_details_data, status_code_details_size, body_data, body_size, grpc_status);
    for (size_t i = 0; i < headers.count; i++) {
        record("local_response_header", "ubb", g.stream, &headers.items[i].key, &headers.items[i].value);
    }
    /* What goes downstream: the local reply replaces the response. */
    char status[16];
    snprintf(status, sizeof status, "%u", status_code);
    record("downstream_header", "usr", g.stream, ":status", (const uint8_t *)status, strlen(status));
    for (size_t i = 0; i < headers.count; i++) {
        record("downstream_header", "ubb", g.stream, &headers.items[i].key, &headers.items[i].value);
    }
    record("downstream_body", "ur", g.stream, body_data, body_size);
    map_clear(&headers);
    free(headers.items);
    g.local_response_sent = 1;
    return hostcall("proxy_send_local_response", ST_OK);
}

/* The status of the call being answered (Envoy: the root context's last callout status): 0 and no message for an HTTP
   response, BrokenConnection and "reset" for a reset, a gRPC close's code and message, 0 and no message for gRPC
   metadata and messages; 0 and no message outside an answer. */
int32_t proxy_get_status(uint32_t *return_status_code, uint8_t **return_status_message_data, size_t *return_status_message_size)
{
    if (return_status_code == NULL) {
        return hostcall("proxy_get_status", ST_INVALID_MEMORY_ACCESS);
    }
    int answering = g.answering || g.grpc_answer != GRPC_NONE;
    *return_status_code = answering ? g.status_code : 0;
    return hostcall("proxy_get_status", copy_to_module(g.status_message.data, answering ? g.status_message.size : 0,
                                                       return_status_message_data, return_status_message_size));
}

/* ---- properties ---- */

int32_t proxy_get_property(const uint8_t *path_data, size_t path_size, uint8_t **return_value_data, size_t *return_value_size)
{
    if (!valid_input(path_data, path_size)) {
        return hostcall("proxy_get_property", ST_INVALID_MEMORY_ACCESS);
    }
    static const char root_id_path[] = "plugin_root_id";
    if (path_size == sizeof root_id_path - 1 && memcmp(path_data, root_id_path, path_size) == 0) {
        return hostcall("proxy_get_property", copy_to_module(g_input.root_id.data, g_input.root_id.size, return_value_data, return_value_size));
    }
    for (size_t i = 0; i < g_input.property_count; i++) {
        if (bytes_equal(g_input.properties[i].path, path_data, path_size)) {
            const bytes_t *value = &g_input.properties[i].value;
            return hostcall("proxy_get_property", copy_to_module(value->data, value->size, return_value_data, return_value_size));
        }
    }
    return hostcall("proxy_get_property", ST_NOT_FOUND);
}

int32_t proxy_set_property(const uint8_t *path_data, size_t path_size, const uint8_t *value_data, size_t value_size)
{
    (void)path_data; (void)path_size; (void)value_data; (void)value_size;
    return hostcall("proxy_set_property", ST_UNIMPLEMENTED);
}

/* ---- HTTP and gRPC calls ---- */

static int known_cluster(const uint8_t *name, size_t size)
{
    if (g_input.cluster_count == 0) {
        return 1; /* no cluster list given: every upstream exists */
    }
    for (size_t i = 0; i < g_input.cluster_count; i++) {
        if (bytes_equal(g_input.clusters[i], name, size)) {
            return 1;
        }
    }
    return 0;
}

/* Registers a call of <kind> made on the effective context under the next token of that kind (cpp-host adds 4). */
static callout_t *add_callout(callout_kind_t kind)
{
    callout_t *calls = realloc(g.calls, (g.call_count + 1) * sizeof *calls);
    if (calls == NULL) {
        fprintf(stderr, "proxywasm_host: out of memory\n");
        exit(70);
    }
    g.calls = calls;
    if (g.last_token[kind] == 0) {
        g.last_token[kind] = (uint32_t)kind;
    }
    g.last_token[kind] += 4;
    g.calls[g.call_count] = (callout_t){ g.last_token[kind], g.effective, kind, 0, 0, 0 };
    return &g.calls[g.call_count++];
}

static int has_header(const header_map_t *map, const char *name)
{
    bytes_t value;
    if (!map_get(map, (const uint8_t *)name, strlen(name), &value)) {
        return 0;
    }
    free(value.data);
    return 1;
}

/* Envoy's Context::httpCall: the cluster must exist and the headers need :method, :path and :authority (else
   BadArgument); the call is registered on the root context under the next token (4, 8, 12...) and answered later. */
int32_t proxy_http_call(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *serialized_headers_data,
                        size_t serialized_headers_size, const uint8_t *body_data, size_t body_size,
                        const uint8_t *serialized_trailers_data, size_t serialized_trailers_size, uint32_t timeout_milliseconds,
                        uint32_t *return_callout_id)
{
    if (!valid_input(upstream_name_data, upstream_name_size) || !valid_input(serialized_headers_data, serialized_headers_size)
        || !valid_input(body_data, body_size) || !valid_input(serialized_trailers_data, serialized_trailers_size)
        || return_callout_id == NULL) {
        return hostcall("proxy_http_call", ST_INVALID_MEMORY_ACCESS);
    }
    header_map_t headers = { 0 }, trailers = { 0 };
    pairs_read(serialized_headers_data, serialized_headers_size, &headers, "proxy_http_call headers");
    pairs_read(serialized_trailers_data, serialized_trailers_size, &trailers, "proxy_http_call trailers");
    int32_t status = ST_OK;
    if (!known_cluster(upstream_name_data, upstream_name_size)
        || !has_header(&headers, ":method") || !has_header(&headers, ":path") || !has_header(&headers, ":authority")) {
        status = ST_BAD_ARGUMENT;
    } else {
        uint32_t token = add_callout(CALLOUT_HTTP)->token;
        *return_callout_id = token;
        record("http_call", "uuru", g.effective, token, upstream_name_data, upstream_name_size, timeout_milliseconds);
        for (size_t i = 0; i < headers.count; i++) {
            record("http_call_header", "ubb", token, &headers.items[i].key, &headers.items[i].value);
        }
        if (body_size > 0) {
            record("http_call_body", "ur", token, body_data, body_size);
        }
        for (size_t i = 0; i < trailers.count; i++) {
            record("http_call_trailer", "ubb", token, &trailers.items[i].key, &trailers.items[i].value);
        }
    }
    map_clear(&headers);
    free(headers.items);
    map_clear(&trailers);
    free(trailers.items);
    return hostcall("proxy_http_call", status);
}

/* Envoy's Context::grpcCall and grpcStream: malformed initial metadata is refused (BadArgument), an unknown cluster is
   a ParseFailure (an HTTP call's is BadArgument); the call is registered on the root context under the next token of
   its kind and answered later. */
static int32_t open_grpc(callout_kind_t kind, const uint8_t *upstream_data, size_t upstream_size, const uint8_t *service_data,
                         size_t service_size, const uint8_t *method_data, size_t method_size, const uint8_t *metadata_data,
                         size_t metadata_size, const uint8_t *message_data, size_t message_size, uint32_t timeout_milliseconds,
                         uint32_t *return_token)
{
    header_map_t metadata = { 0 };
    int32_t status = ST_OK;
    if (!pairs_read(metadata_data, metadata_size, &metadata, kind == CALLOUT_GRPC_CALL ? "proxy_grpc_call metadata" : "proxy_grpc_stream metadata")) {
        status = ST_BAD_ARGUMENT;
    } else if (!known_cluster(upstream_data, upstream_size)) {
        status = ST_PARSE_FAILURE;
    } else {
        uint32_t token = add_callout(kind)->token;
        *return_token = token;
        if (kind == CALLOUT_GRPC_CALL) {
            record("grpc_call", "uurrru", g.effective, token, upstream_data, upstream_size, service_data, service_size,
                   method_data, method_size, timeout_milliseconds);
        } else {
            record("grpc_stream", "uurrr", g.effective, token, upstream_data, upstream_size, service_data, service_size,
                   method_data, method_size);
        }
        for (size_t i = 0; i < metadata.count; i++) {
            record("grpc_call_metadata", "ubb", token, &metadata.items[i].key, &metadata.items[i].value);
        }
        if (message_size > 0) {
            record("grpc_call_message", "ur", token, message_data, message_size);
        }
    }
    map_clear(&metadata);
    free(metadata.items);
    return status;
}

int32_t proxy_grpc_call(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *service_name_data,
                        size_t service_name_size, const uint8_t *method_name_data, size_t method_name_size,
                        const uint8_t *serialized_initial_metadata_data, size_t serialized_initial_metadata_size,
                        const uint8_t *message_data, size_t message_size, uint32_t timeout_milliseconds, uint32_t *return_callout_id)
{
    if (!valid_input(upstream_name_data, upstream_name_size) || !valid_input(service_name_data, service_name_size)
        || !valid_input(method_name_data, method_name_size)
        || !valid_input(serialized_initial_metadata_data, serialized_initial_metadata_size)
        || !valid_input(message_data, message_size) || return_callout_id == NULL) {
        return hostcall("proxy_grpc_call", ST_INVALID_MEMORY_ACCESS);
    }
    return hostcall("proxy_grpc_call", open_grpc(CALLOUT_GRPC_CALL, upstream_name_data, upstream_name_size, service_name_data,
                                                 service_name_size, method_name_data, method_name_size,
                                                 serialized_initial_metadata_data, serialized_initial_metadata_size,
                                                 message_data, message_size, timeout_milliseconds, return_callout_id));
}

int32_t proxy_grpc_stream(const uint8_t *upstream_name_data, size_t upstream_name_size, const uint8_t *service_name_data,
                          size_t service_name_size, const uint8_t *method_name_data, size_t method_name_size,
                          const uint8_t *serialized_initial_metadata_data, size_t serialized_initial_metadata_size,
                          uint32_t *return_stream_id)
{
    if (!valid_input(upstream_name_data, upstream_name_size) || !valid_input(service_name_data, service_name_size)
        || !valid_input(method_name_data, method_name_size)
        || !valid_input(serialized_initial_metadata_data, serialized_initial_metadata_size) || return_stream_id == NULL) {
        return hostcall("proxy_grpc_stream", ST_INVALID_MEMORY_ACCESS);
    }
    return hostcall("proxy_grpc_stream", open_grpc(CALLOUT_GRPC_STREAM, upstream_name_data, upstream_name_size, service_name_data,
                                                   service_name_size, method_name_data, method_name_size,
                                                   serialized_initial_metadata_data, serialized_initial_metadata_size, NULL, 0, 0,
                                                   return_stream_id));
}

/* The open gRPC call or stream with <token>: dispatched, not ended (answered to the end, closed or cancelled). */
static callout_t *open_grpc_call(uint32_t token)
{
    for (size_t i = 0; i < g.call_count; i++) {
        if (g.calls[i].token == token && g.calls[i].kind != CALLOUT_HTTP && !g.calls[i].ended) {
            return &g.calls[i];
        }
    }
    return NULL;
}

/* Envoy's grpcSend: a token that is not a stream's is BadArgument, an unknown stream NotFound. A send after end of
   stream is refused (BadArgument), as the in-process host does; Envoy passes it to its async stream. */
int32_t proxy_grpc_send(uint32_t stream_id, const uint8_t *message_data, size_t message_size, uint32_t end_stream)
{
    if (!valid_input(message_data, message_size)) {
        return hostcall("proxy_grpc_send", ST_INVALID_MEMORY_ACCESS);
    }
    if ((stream_id & 3u) != CALLOUT_GRPC_STREAM) {
        return hostcall("proxy_grpc_send", ST_BAD_ARGUMENT);
    }
    callout_t *stream = open_grpc_call(stream_id);
    if (stream == NULL) {
        return hostcall("proxy_grpc_send", ST_NOT_FOUND);
    }
    if (stream->half_closed) {
        return hostcall("proxy_grpc_send", ST_BAD_ARGUMENT);
    }
    stream->half_closed = end_stream != 0;
    record("grpc_send", "uur", stream_id, end_stream != 0 ? 1u : 0u, message_data, message_size);
    return hostcall("proxy_grpc_send", ST_OK);
}

/* Envoy's grpcClose and grpcCancel: a token of neither gRPC kind is BadArgument, one no open call or stream has NotFound.
   Either ends the call here: no more answers (Envoy half-closes a stream on close and still delivers its remote close;
   this host, like the in-process one, ends it). */
static int32_t end_grpc(const char *function, const char *how, uint32_t token)
{
    if ((token & 3u) != CALLOUT_GRPC_CALL && (token & 3u) != CALLOUT_GRPC_STREAM) {
        return hostcall(function, ST_BAD_ARGUMENT);
    }
    callout_t *call = open_grpc_call(token);
    if (call == NULL) {
        return hostcall(function, ST_NOT_FOUND);
    }
    call->ended = 1;
    record("grpc_ended", "uus", g.effective, token, how);
    return hostcall(function, ST_OK);
}

int32_t proxy_grpc_cancel(uint32_t callout_id)
{
    return end_grpc("proxy_grpc_cancel", "cancel", callout_id);
}

int32_t proxy_grpc_close(uint32_t callout_id)
{
    return end_grpc("proxy_grpc_close", "close", callout_id);
}

/* ---- shared data and queues, metrics: not provided by this host ---- */

int32_t proxy_get_shared_data(const uint8_t *key_data, size_t key_size, uint8_t **return_value_data, size_t *return_value_size, uint32_t *return_cas)
{
    (void)key_data; (void)key_size; (void)return_value_data; (void)return_value_size; (void)return_cas;
    return hostcall("proxy_get_shared_data", ST_UNIMPLEMENTED);
}

int32_t proxy_set_shared_data(const uint8_t *key_data, size_t key_size, const uint8_t *value_data, size_t value_size, uint32_t cas)
{
    (void)key_data; (void)key_size; (void)value_data; (void)value_size; (void)cas;
    return hostcall("proxy_set_shared_data", ST_UNIMPLEMENTED);
}

int32_t proxy_register_shared_queue(const uint8_t *name_data, size_t name_size, uint32_t *return_queue_id)
{
    (void)name_data; (void)name_size; (void)return_queue_id;
    return hostcall("proxy_register_shared_queue", ST_UNIMPLEMENTED);
}

int32_t proxy_resolve_shared_queue(const uint8_t *vm_id_data, size_t vm_id_size, const uint8_t *name_data, size_t name_size, uint32_t *return_queue_id)
{
    (void)vm_id_data; (void)vm_id_size; (void)name_data; (void)name_size; (void)return_queue_id;
    return hostcall("proxy_resolve_shared_queue", ST_UNIMPLEMENTED);
}

int32_t proxy_enqueue_shared_queue(uint32_t queue_id, const uint8_t *value_data, size_t value_size)
{
    (void)queue_id; (void)value_data; (void)value_size;
    return hostcall("proxy_enqueue_shared_queue", ST_UNIMPLEMENTED);
}

int32_t proxy_dequeue_shared_queue(uint32_t queue_id, uint8_t **return_value_data, size_t *return_value_size)
{
    (void)queue_id; (void)return_value_data; (void)return_value_size;
    return hostcall("proxy_dequeue_shared_queue", ST_UNIMPLEMENTED);
}

int32_t proxy_define_metric(int32_t metric_type, const uint8_t *name_data, size_t name_size, uint32_t *return_metric_id)
{
    (void)metric_type; (void)name_data; (void)name_size; (void)return_metric_id;
    return hostcall("proxy_define_metric", ST_UNIMPLEMENTED);
}

int32_t proxy_increment_metric(uint32_t metric_id, int64_t offset)
{
    (void)metric_id; (void)offset;
    return hostcall("proxy_increment_metric", ST_UNIMPLEMENTED);
}

int32_t proxy_record_metric(uint32_t metric_id, uint64_t value)
{
    (void)metric_id; (void)value;
    return hostcall("proxy_record_metric", ST_UNIMPLEMENTED);
}

int32_t proxy_get_metric(uint32_t metric_id, uint64_t *return_value)
{
    (void)metric_id; (void)return_value;
    return hostcall("proxy_get_metric", ST_UNIMPLEMENTED);
}

/* ---- contexts and foreign functions ---- */

int32_t proxy_set_effective_context(uint32_t context_id)
{
    if (context_id != ROOT_CONTEXT_ID && (g.stream == 0 || context_id != g.stream)) {
        return hostcall("proxy_set_effective_context", ST_BAD_ARGUMENT); /* no such context */
    }
    g.effective = context_id;
    return hostcall("proxy_set_effective_context", ST_OK);
}

int32_t proxy_done(void)
{
    if (g.phase != PHASE_DONE) {
        return hostcall("proxy_done", ST_NOT_FOUND);
    }
    g.done_called = 1;
    return hostcall("proxy_done", ST_OK);
}

int32_t proxy_call_foreign_function(const uint8_t *function_name_data, size_t function_name_size, const uint8_t *arguments_data,
                                    size_t arguments_size, uint8_t **return_results_data, size_t *return_results_size)
{
    (void)function_name_data; (void)function_name_size; (void)arguments_data; (void)arguments_size;
    (void)return_results_data; (void)return_results_size;
    return hostcall("proxy_call_foreign_function", ST_NOT_FOUND); /* Envoy: no such foreign function */
}

/* ---- input ---- */

static int unescape(const char *text, bytes_t *out)
{
    size_t length = strlen(text);
    out->data = xmalloc(length + 1);
    out->size = 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c != '\\') {
            out->data[out->size++] = (uint8_t)c;
            continue;
        }
        if (++i >= length) {
            return 0;
        }
        switch (text[i]) {
        case '\\': out->data[out->size++] = '\\'; break;
        case 't': out->data[out->size++] = '\t'; break;
        case 'n': out->data[out->size++] = '\n'; break;
        case 'r': out->data[out->size++] = '\r'; break;
        case 'x': {
            if (i + 2 >= length || !isxdigit((unsigned char)text[i + 1]) || !isxdigit((unsigned char)text[i + 2])) {
                return 0;
            }
            char hex[3] = { text[i + 1], text[i + 2], 0 };
            out->data[out->size++] = (uint8_t)strtoul(hex, NULL, 16);
            i += 2;
            break;
        }
        default:
            return 0;
        }
    }
    out->data[out->size] = 0;
    return 1;
}

static void usage_error(unsigned line, const char *message)
{
    fprintf(stderr, "proxywasm_host: input line %u: %s\n", line, message);
    exit(2);
}

static void read_input(FILE *input)
{
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    unsigned number = 0;
    g_input.log_level = 2;
    g_input.streams = 1;
    g_input.root_id = bytes_copy(NULL, 0);
    g_input.vm_configuration = bytes_copy(NULL, 0);
    g_input.plugin_configuration = bytes_copy(NULL, 0);
    g_input.callout_body = bytes_copy(NULL, 0);
    g_input.grpc_message = bytes_copy(NULL, 0);
    g_input.grpc_close_message = bytes_copy(NULL, 0);
    while ((length = getline(&line, &capacity, input)) != -1) {
        number++;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) {
            line[--length] = 0;
        }
        if (length == 0 || line[0] == '#') {
            continue;
        }
        char *fields[4] = { 0 };
        int count = 0;
        char *cursor = line;
        fields[count++] = cursor;
        while (count < 4 && (cursor = strchr(cursor, '\t')) != NULL) {
            *cursor++ = 0;
            fields[count++] = cursor;
        }
        bytes_t a = { 0 }, b = { 0 };
        if (count >= 2 && !unescape(fields[1], &a)) {
            usage_error(number, "bad escape in the first value");
        }
        if (count >= 3 && !unescape(fields[2], &b)) {
            usage_error(number, "bad escape in the second value");
        }
        const char *key = fields[0];
        if (strcmp(key, "root_id") == 0 && count <= 2) {
            g_input.root_id = count == 2 ? a : bytes_copy(NULL, 0);
        } else if (strcmp(key, "vm_configuration") == 0 && count <= 2) {
            g_input.vm_configuration = count == 2 ? a : bytes_copy(NULL, 0);
        } else if (strcmp(key, "plugin_configuration") == 0 && count <= 2) {
            g_input.plugin_configuration = count == 2 ? a : bytes_copy(NULL, 0);
        } else if (strcmp(key, "log_level") == 0 && count == 2) {
            g_input.log_level = atoi(fields[1]);
        } else if (strcmp(key, "streams") == 0 && count == 2) {
            int streams = atoi(fields[1]);
            if (streams < 0 || streams > 100000) {
                usage_error(number, "streams must be 0..100000");
            }
            g_input.streams = (unsigned)streams;
        } else if ((strcmp(key, "request_header") == 0 || strcmp(key, "response_header") == 0) && count == 3) {
            map_add(key[1] == 'e' && key[2] == 'q' ? &g_input.input_request : &g_input.input_response, a.data, a.size, b.data, b.size);
        } else if (strcmp(key, "property") == 0 && count == 3) {
            property_t *properties = realloc(g_input.properties, (g_input.property_count + 1) * sizeof *properties);
            if (properties == NULL) {
                exit(70);
            }
            g_input.properties = properties;
            g_input.properties[g_input.property_count++] = (property_t){ a, b };
        } else if (strcmp(key, "cluster") == 0 && count == 2) {
            bytes_t *clusters = realloc(g_input.clusters, (g_input.cluster_count + 1) * sizeof *clusters);
            if (clusters == NULL) {
                exit(70);
            }
            g_input.clusters = clusters;
            g_input.clusters[g_input.cluster_count++] = a;
        } else if (strcmp(key, "callout_response_header") == 0 && count == 3) {
            map_add(&g_input.callout_headers, a.data, a.size, b.data, b.size);
        } else if (strcmp(key, "callout_response_trailer") == 0 && count == 3) {
            map_add(&g_input.callout_trailers, a.data, a.size, b.data, b.size);
        } else if (strcmp(key, "callout_response_body") == 0 && count <= 2) {
            g_input.callout_body = count == 2 ? a : bytes_copy(NULL, 0);
        } else if (strcmp(key, "callout_failure") == 0 && count == 2) {
            if (strcmp(fields[1], "reset") == 0) {
                g_input.callout_failure = FAILURE_RESET;
            } else if (strcmp(fields[1], "timeout") == 0) {
                g_input.callout_failure = FAILURE_TIMEOUT;
            } else {
                usage_error(number, "callout_failure must be reset or timeout");
            }
        } else if (strcmp(key, "grpc_response_message") == 0 && count <= 2) {
            g_input.grpc_message = count == 2 ? a : bytes_copy(NULL, 0);
            g_input.grpc_message_given = 1;
        } else if (strcmp(key, "grpc_close") == 0 && (count == 2 || count == 3)) {
            char *end = NULL;
            errno = 0;
            unsigned long code = strtoul(fields[1], &end, 10);
            if (!isdigit((unsigned char)fields[1][0]) || *end != 0 || errno != 0 || code > UINT32_MAX) {
                usage_error(number, "grpc_close needs a status code 0..4294967295");
            }
            g_input.grpc_close_given = 1;
            g_input.grpc_close_code = (uint32_t)code;
            g_input.grpc_close_message = count == 3 ? b : bytes_copy(NULL, 0);
        } else if (strcmp(key, "grpc_initial_metadata") == 0 && count == 3) {
            map_add(&g_input.grpc_initial_metadata, a.data, a.size, b.data, b.size);
        } else if (strcmp(key, "grpc_trailing_metadata") == 0 && count == 3) {
            map_add(&g_input.grpc_trailing_metadata, a.data, a.size, b.data, b.size);
        } else if ((strcmp(key, "ticks") == 0 || strcmp(key, "clock") == 0) && count == 2) {
            char *end = NULL;
            errno = 0;
            unsigned long long value = strtoull(fields[1], &end, 10);
            if (!isdigit((unsigned char)fields[1][0]) || *end != 0 || errno != 0 || (key[0] == 't' && value > 100000)) {
                usage_error(number, key[0] == 't' ? "ticks must be 0..100000" : "clock needs nanoseconds 0..18446744073709551615");
            }
            if (key[0] == 't') {
                g_input.ticks = (unsigned)value;
            } else {
                g_input.clock_given = 1;
                g_input.clock = value;
            }
        } else {
            usage_error(number, "unknown key or wrong number of fields");
        }
    }
    free(line);
    if (g_input.callout_headers.count == 0) {
        static const uint8_t status[] = ":status", ok[] = "200";
        map_add(&g_input.callout_headers, status, sizeof status - 1, ok, sizeof ok - 1); /* Envoy's responses have one */
    }
}

/* ---- driving the module ---- */

static void *find(void *module, const char *name)
{
    dlerror();
    return dlsym(module, name);
}

static void print_call(uint32_t context, const char *name, const char *args, const char *result)
{
    record("call", "usss", context, name, args, result);
}

/* A callback of <context> starts: host calls act on it until the module picks another effective context. */
static void enter(uint32_t context)
{
    g.context = context;
    g.effective = context;
}

/* proxy_on_http_call_response(root, token, headers, body size, trailers) on the root context, as cpp-host calls it,
   with the configured answer readable as maps 6/7, buffer 4 and proxy_get_status during the callback. A reset call is
   answered with no headers (Envoy's onFailure), a timed-out one with Envoy's 504. Calls are named by index: a call the
   module makes during an answer may move g.calls. */
static void answer_call(size_t index)
{
    static const uint8_t status[] = ":status", timeout_status[] = "504", type[] = "content-type", text[] = "text/plain";
    static const uint8_t timeout_body[] = "upstream request timeout";
    bytes_t timeout_text = { (uint8_t *)timeout_body, sizeof timeout_body - 1 };
    uint32_t token = g.calls[index].token;
    g.calls[index].answered = 1;
    if (m.on_http_call_response == NULL) {
        return; /* cpp-host: the module has no such callback, the answer is dropped */
    }
    uint32_t context = g.context;
    g.answer_failed = g_input.callout_failure == FAILURE_RESET;
    g.status_code = g.answer_failed ? ST_BROKEN_CONNECTION : ST_OK;
    g.status_message = g.answer_failed ? (bytes_t){ (uint8_t *)"reset", 5 } : (bytes_t){ NULL, 0 };
    g.call_body = &g_input.callout_body;
    if (g_input.callout_failure == FAILURE_TIMEOUT) {
        map_clear(&g.call_maps[0]);
        map_add(&g.call_maps[0], status, sizeof status - 1, timeout_status, sizeof timeout_status - 1);
        map_add(&g.call_maps[0], type, sizeof type - 1, text, sizeof text - 1);
        map_clear(&g.call_maps[1]);
        g.call_body = &timeout_text;
    } else if (!g.answer_failed) {
        map_copy(&g.call_maps[0], &g_input.callout_headers);
        map_copy(&g.call_maps[1], &g_input.callout_trailers);
    }
    uint32_t headers = g.answer_failed ? 0 : (uint32_t)g.call_maps[0].count;
    uint32_t body = g.answer_failed ? 0 : (uint32_t)g.call_body->size;
    uint32_t trailers = g.answer_failed ? 0 : (uint32_t)g.call_maps[1].count;

    g.answering = 1;
    enter(ROOT_CONTEXT_ID);
    m.on_http_call_response(ROOT_CONTEXT_ID, token, headers, body, trailers);
    char args[80];
    snprintf(args, sizeof args, "%u,%u,%u,%u,%u", ROOT_CONTEXT_ID, token, headers, body, trailers);
    print_call(ROOT_CONTEXT_ID, "proxy_on_http_call_response", args, "-");
    enter(context);
    g.answering = 0;
    g.answer_failed = 0;
    g.status_code = 0;
    g.status_message = (bytes_t){ NULL, 0 };
    g.call_body = NULL;
    map_clear(&g.call_maps[0]);
    map_clear(&g.call_maps[1]);
}

/* One callback of a gRPC answer, on the root context as cpp-host calls it, with <what> readable during it. Dropped when
   the module does not export it (cpp-host) or has ended the call meanwhile (no more answers then). */
static void grpc_callback(size_t index, grpc_answer_t what, void3_fn callback, const char *name, uint32_t argument)
{
    uint32_t token = g.calls[index].token;
    if (callback == NULL || g.calls[index].ended) {
        return;
    }
    g.grpc_answer = what;
    g.status_code = what == GRPC_CLOSE ? argument : 0;
    g.status_message = what == GRPC_CLOSE ? g_input.grpc_close_message : (bytes_t){ NULL, 0 };
    enter(ROOT_CONTEXT_ID);
    callback(ROOT_CONTEXT_ID, token, argument);
    char args[48];
    snprintf(args, sizeof args, "%u,%u,%u", ROOT_CONTEXT_ID, token, argument);
    print_call(ROOT_CONTEXT_ID, name, args, "-");
    g.grpc_answer = GRPC_NONE;
    g.status_code = 0;
    g.status_message = (bytes_t){ NULL, 0 };
}

static void grpc_metadata(size_t index, grpc_answer_t what, const header_map_t *metadata)
{
    if (metadata->count == 0) {
        return;
    }
    map_copy(&g.grpc_metadata, metadata);
    if (what == GRPC_INITIAL_METADATA) {
        grpc_callback(index, what, m.on_grpc_receive_initial_metadata, "proxy_on_grpc_receive_initial_metadata", (uint32_t)metadata->count);
    } else {
        grpc_callback(index, what, m.on_grpc_receive_trailing_metadata, "proxy_on_grpc_receive_trailing_metadata", (uint32_t)metadata->count);
    }
    map_clear(&g.grpc_metadata);
}

/* The answer to a gRPC call or stream, the configured one for all: the initial metadata first (when configured); then
   for a unary call the trailing metadata (when configured) and its last answer, a close (grpc_close) or else the
   message; for a stream the message (unless only a close is configured), the trailing metadata and the close (default
   0, no message). Envoy delivers no metadata for unary calls; a unary call still ends with its one message or close. */
static void answer_grpc(size_t index)
{
    uint32_t context = g.context;
    int unary = g.calls[index].kind == CALLOUT_GRPC_CALL;
    uint32_t message_size = (uint32_t)g_input.grpc_message.size;
    g.calls[index].answered = 1;
    grpc_metadata(index, GRPC_INITIAL_METADATA, &g_input.grpc_initial_metadata);
    if (unary) {
        grpc_metadata(index, GRPC_TRAILING_METADATA, &g_input.grpc_trailing_metadata);
        if (g_input.grpc_close_given) {
            grpc_callback(index, GRPC_CLOSE, m.on_grpc_close, "proxy_on_grpc_close", g_input.grpc_close_code);
        } else {
            grpc_callback(index, GRPC_MESSAGE, m.on_grpc_receive, "proxy_on_grpc_receive", message_size);
        }
    } else {
        if (g_input.grpc_message_given || !g_input.grpc_close_given) {
            grpc_callback(index, GRPC_MESSAGE, m.on_grpc_receive, "proxy_on_grpc_receive", message_size);
        }
        grpc_metadata(index, GRPC_TRAILING_METADATA, &g_input.grpc_trailing_metadata);
        grpc_callback(index, GRPC_CLOSE, m.on_grpc_close, "proxy_on_grpc_close", g_input.grpc_close_given ? g_input.grpc_close_code : 0);
    }
    g.calls[index].ended = 1;
    enter(context);
}

/* The oldest call made on <context> that is neither answered nor ended (its index), or -1. */
static long next_call(uint32_t context)
{
    for (size_t i = 0; i < g.call_count; i++) {
        if (!g.calls[i].answered && !g.calls[i].ended && g.calls[i].context == context) {
            return (long)i;
        }
    }
    return -1;
}

static void answer(long index)
{
    if (g.calls[index].kind == CALLOUT_HTTP) {
        answer_call((size_t)index);
    } else {
        answer_grpc((size_t)index);
    }
}

/* One tick, while any remain (ticks) and the module exports proxy_on_tick and has set a non-zero period (Envoy runs no
   timer otherwise): proxy_on_tick(1) on the root context, then the answers to every call made on the root context,
   oldest first (the plugin dispatches from its tick; Envoy delivers each answer on the root context). 0: no tick. */
static int tick(void)
{
    if (g.ticks_left == 0 || m.on_tick == NULL || g.tick_period == 0) {
        return 0;
    }
    g.ticks_left--;
    uint32_t context = g.context;
    enter(ROOT_CONTEXT_ID);
    m.on_tick(ROOT_CONTEXT_ID);
    print_call(ROOT_CONTEXT_ID, "proxy_on_tick", "1", "-");
    unsigned answers = 0;
    for (long next; (next = next_call(ROOT_CONTEXT_ID)) >= 0; answer(next)) {
        if (++answers > MAX_ANSWERS_PER_PAUSE) {
            protocol_error("root context: still calling after %u answers to its calls in a tick", MAX_ANSWERS_PER_PAUSE);
            break;
        }
    }
    enter(context);
    return 1;
}

/* Whether the stream goes on in <direction> after its callback returned <action>: the callback continued, or it
   paused the stream and the module resumed that direction, in the callback, in an answer to one of the stream's HTTP
   or gRPC calls, which the host delivers oldest first while the stream stays paused, or, once none is left to answer,
   in a tick (one at a time, while ticks remain). A local response ends it either way. */
static int stream_proceeds(uint32_t id, uint32_t action, int direction)
{
    unsigned answers = 0;
    while (action != 0 && !g.resumed[direction] && !g.local_response_sent) {
        long next = next_call(id);
        if (next < 0) {
            if (!tick()) {
                break;
            }
            continue;
        }
        if (++answers > MAX_ANSWERS_PER_PAUSE) {
            protocol_error("stream %u: still paused after %u answers to its calls", id, MAX_ANSWERS_PER_PAUSE);
            break;
        }
        answer(next);
    }
    return !g.local_response_sent && (action == 0 || g.resumed[direction]);
}

static void run_stream(uint32_t id)
{
    char args[64], result[16];
    g.local_response_sent = 0;
    g.done_called = 0;
    g.response_started = 0;
    g.resumed[STREAM_REQUEST] = 0;
    g.resumed[STREAM_RESPONSE] = 0;
    for (int i = 0; i < 4; i++) {
        map_clear(&g.maps[i]);
    }

    enter(id);
    g.stream = id;
    g.phase = PHASE_NONE;
    if (m.on_context_create != NULL) {
        m.on_context_create(id, ROOT_CONTEXT_ID);
        snprintf(args, sizeof args, "%u,%u", id, ROOT_CONTEXT_ID);
        print_call(id, "proxy_on_context_create", args, "-");
    }

    /* Request: headers only (end_of_stream = 1). */
    g.phase = PHASE_REQUEST;
    map_copy(&g.maps[MAP_REQUEST_HEADERS], &g_input.input_request);
    uint32_t action = 0;
    if (m.on_request_headers != NULL) {
        uint32_t count = (uint32_t)g.maps[MAP_REQUEST_HEADERS].count;
        enter(id);
        action = m.on_request_headers(id, count, 1);
        snprintf(args, sizeof args, "%u,%u,1", id, count);
        snprintf(result, sizeof result, "%u", action);
        print_call(id, "proxy_on_request_headers", args, result);
    }
    int proceed = stream_proceeds(id, action, STREAM_REQUEST);

    if (!g.local_response_sent) {
        if (!proceed) {
            /* Envoy turns StopIteration (and anything above 4) into StopAllIterationAndWatermark: nothing resumed
               the request (proxy_continue_stream), so it never reaches upstream. */
            record("request_stopped", "uu", id, action);
        } else {
            for (size_t i = 0; i < g.maps[MAP_REQUEST_HEADERS].count; i++) {
                record("upstream_header", "ubb", id, &g.maps[MAP_REQUEST_HEADERS].items[i].key, &g.maps[MAP_REQUEST_HEADERS].items[i].value);
            }

            /* Upstream response: headers only (end_of_stream = 1). */
            g.phase = PHASE_RESPONSE;
            g.response_started = 1;
            map_copy(&g.maps[MAP_RESPONSE_HEADERS], &g_input.input_response);
            action = 0;
            if (m.on_response_headers != NULL) {
                uint32_t count = (uint32_t)g.maps[MAP_RESPONSE_HEADERS].count;
                enter(id);
                action = m.on_response_headers(id, count, 1);
                snprintf(args, sizeof args, "%u,%u,1", id, count);
                snprintf(result, sizeof result, "%u", action);
                print_call(id, "proxy_on_response_headers", args, result);
            }
            proceed = stream_proceeds(id, action, STREAM_RESPONSE);
            if (!g.local_response_sent) {
                if (!proceed) {
                    record("response_stopped", "uu", id, action);
                } else {
                    for (size_t i = 0; i < g.maps[MAP_RESPONSE_HEADERS].count; i++) {
                        record("downstream_header", "ubb", id, &g.maps[MAP_RESPONSE_HEADERS].items[i].key, &g.maps[MAP_RESPONSE_HEADERS].items[i].value);
                    }
                }
            }
        }
    }

    /* End of stream: done, then log and delete once the context is done. */
    g.phase = PHASE_DONE;
    uint32_t done = 1;
    if (m.on_done != NULL) {
        enter(id);
        done = m.on_done(id);
        snprintf(args, sizeof args, "%u", id);
        snprintf(result, sizeof result, "%u", done);
        print_call(id, "proxy_on_done", args, result);
    }
    if (done == 0 && !g.done_called) {
        record("done_pending", "u", id);
        enter(0);
        g.stream = 0;
        g.phase = PHASE_NONE;
        return;
    }
    snprintf(args, sizeof args, "%u", id);
    if (m.on_log != NULL) {
        enter(id);
        m.on_log(id);
        print_call(id, "proxy_on_log", args, "-");
    }
    if (m.on_delete != NULL) {
        enter(id);
        m.on_delete(id);
        print_call(id, "proxy_on_delete", args, "-");
    }
    enter(0);
    g.stream = 0;
    g.phase = PHASE_NONE;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <module.so> <input.tsv | ->\n", argv[0]);
        return 2;
    }
    FILE *input = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
    if (input == NULL) {
        fprintf(stderr, "proxywasm_host: cannot open %s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    read_input(input);
    if (input != stdin) {
        fclose(input);
    }

    /* RTLD_NOW: every undefined proxy_* symbol of the module must bind to a host function here, or loading fails,
       like a missing import in Envoy. */
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (module == NULL) {
        record("error", "s", dlerror());
        return 3;
    }
    if (find(module, "proxy_abi_version_0_2_1") == NULL) {
        record("error", "s", "the module does not export proxy_abi_version_0_2_1");
        return 3;
    }
    for (size_t i = 0; i < sizeof k_callbacks / sizeof k_callbacks[0]; i++) {
        if (find(module, k_callbacks[i]) != NULL) {
            record("module_export", "s", k_callbacks[i]);
        }
    }
    m.allocate = (allocate_fn)find(module, "proxy_on_memory_allocate");
    if (m.allocate == NULL) {
        record("error", "s", "the module does not export proxy_on_memory_allocate");
        return 3;
    }
    m.on_vm_start = (word2_fn)find(module, "proxy_on_vm_start");
    m.on_configure = (word2_fn)find(module, "proxy_on_configure");
    m.on_context_create = (void2_fn)find(module, "proxy_on_context_create");
    m.on_request_headers = (word3_fn)find(module, "proxy_on_request_headers");
    m.on_response_headers = (word3_fn)find(module, "proxy_on_response_headers");
    m.on_http_call_response = (void5_fn)find(module, "proxy_on_http_call_response");
    m.on_grpc_receive_initial_metadata = (void3_fn)find(module, "proxy_on_grpc_receive_initial_metadata");
    m.on_grpc_receive = (void3_fn)find(module, "proxy_on_grpc_receive");
    m.on_grpc_receive_trailing_metadata = (void3_fn)find(module, "proxy_on_grpc_receive_trailing_metadata");
    m.on_grpc_close = (void3_fn)find(module, "proxy_on_grpc_close");
    m.on_tick = (void1_fn)find(module, "proxy_on_tick");
    m.on_done = (word1_fn)find(module, "proxy_on_done");
    m.on_log = (void1_fn)find(module, "proxy_on_log");
    m.on_delete = (void1_fn)find(module, "proxy_on_delete");

    char args[64], result[16];

    /* Root context: context_create(1, 0) -> vm_start(1, vm_configuration_size) -> configure(1, plugin_configuration_size). */
    enter(ROOT_CONTEXT_ID);
    if (m.on_context_create != NULL) {
        m.on_context_create(ROOT_CONTEXT_ID, 0);
        snprintf(args, sizeof args, "%u,0", ROOT_CONTEXT_ID);
        print_call(ROOT_CONTEXT_ID, "proxy_on_context_create", args, "-");
    }
    int accepted = 1;
    if (m.on_vm_start != NULL) {
        g.phase = PHASE_VM_START;
        enter(ROOT_CONTEXT_ID);
        uint32_t ok = m.on_vm_start(ROOT_CONTEXT_ID, (uint32_t)g_input.vm_configuration.size);
        snprintf(args, sizeof args, "%u,%zu", ROOT_CONTEXT_ID, g_input.vm_configuration.size);
        snprintf(result, sizeof result, "%u", ok);
        print_call(ROOT_CONTEXT_ID, "proxy_on_vm_start", args, result);
        if (ok == 0) {
            record("plugin_rejected", "su", "proxy_on_vm_start", ok);
            accepted = 0;
        }
    }
    if (accepted && m.on_configure != NULL) {
        g.phase = PHASE_CONFIGURE;
        enter(ROOT_CONTEXT_ID);
        uint32_t ok = m.on_configure(ROOT_CONTEXT_ID, (uint32_t)g_input.plugin_configuration.size);
        snprintf(args, sizeof args, "%u,%zu", ROOT_CONTEXT_ID, g_input.plugin_configuration.size);
        snprintf(result, sizeof result, "%u", ok);
        print_call(ROOT_CONTEXT_ID, "proxy_on_configure", args, result);
        if (ok == 0) {
            record("plugin_rejected", "su", "proxy_on_configure", ok);
            accepted = 0;
        }
    }
    g.phase = PHASE_NONE;
    enter(0);

    if (accepted) {
        g.ticks_left = g_input.ticks;
        for (unsigned i = 0; i < g_input.streams; i++) {
            run_stream(ROOT_CONTEXT_ID + 1 + i);
        }
        while (tick()) {
        }
    }

    /* Calls nobody answered: made by the root context, or while their stream was not paused (gRPC calls the module
       ended itself excepted). Envoy cancels them with the root context. */
    for (size_t i = 0; i < g.call_count; i++) {
        if (!g.calls[i].answered && !g.calls[i].ended) {
            record(g.calls[i].kind == CALLOUT_HTTP ? "http_call_pending" : "grpc_pending", "uu", g.calls[i].context, g.calls[i].token);
        }
    }

    /* Plugin shutdown: done(1) -> delete(1). */
    g.phase = PHASE_DONE;
    snprintf(args, sizeof args, "%u", ROOT_CONTEXT_ID);
    if (m.on_done != NULL) {
        enter(ROOT_CONTEXT_ID);
        uint32_t done = m.on_done(ROOT_CONTEXT_ID);
        snprintf(result, sizeof result, "%u", done);
        print_call(ROOT_CONTEXT_ID, "proxy_on_done", args, result);
    }
    if (m.on_delete != NULL) {
        enter(ROOT_CONTEXT_ID);
        m.on_delete(ROOT_CONTEXT_ID);
        print_call(ROOT_CONTEXT_ID, "proxy_on_delete", args, "-");
    }
    enter(0);
    g.phase = PHASE_NONE;

    record("allocations", "uu", (unsigned)g.allocations, (unsigned)g.allocated_bytes);
    /* The NativeAOT runtime cannot be unloaded; the module stays mapped until exit. */
    return g_errors == 0 ? 0 : 4;
}
