/*
 * proxywasm_host: a minimal Proxy-Wasm ABI v0.2.1 host for the native (linux-x64 NativeAOT) build of a filter.
 *
 * Build:  gcc -std=c11 -O1 -Wall -Wextra -Werror -rdynamic -o proxywasm_host \
 *             host_main.c host_maps.c host_calls.c host_callouts.c host_properties.c host_state.c host_plugins.c \
 *             host_network.c host_queues.c host_faults.c -ldl
 * Run:    proxywasm_host <module.so> <input.tsv | ->
 *
 * Files (one program, split by section):
 *   host.h           this comment; ABI constants, the shared types (byte strings, header maps, input, state, the
 *                    module's callbacks) and the declarations shared by the files below
 *   host_main.c      the state (g_input, g, m), reading the input, loading and driving the module (streams), main
 *   host_maps.c      byte strings, output records (record, protocol_error), header maps and the pairs format
 *   host_calls.c     host functions: logging and time, buffers, header maps, stream control, properties, contexts
 *   host_callouts.c  HTTP and gRPC calls (proxy_http_call, proxy_grpc_*), their answers, and ticks
 *   host_properties.c  what proxy_get_property answers and proxy_set_property keeps (described below)
 *   host_state.c     shared data and metrics, their input keys and end-of-run records
 *   host_plugins.c   several plugins (root contexts), foreign functions (proxy_call_foreign_function and the host's
 *                    calls of proxy_on_foreign_function), the input keys of the three files here
 *   host_network.c   TCP connections: driving them, their data buffers (2, 3) and stream control (DOWNSTREAM, UPSTREAM)
 *   host_queues.c    shared queues (proxy_*_shared_queue) and proxy_on_queue_ready
 *   host_faults.c    a misbehaving host on request: refused local responses, odd callback orders (its input keys)
 * Only main and the proxy_* host functions are exported; the helpers shared between the files are hidden
 * (visibility "hidden" below), so the dynamic symbol table is the one the single-file host had.
 *
 * The module is a shared library whose dynamic symbol table is the module's ABI: it exports the marker
 * proxy_abi_version_0_2_1, the allocator proxy_on_memory_allocate and proxy_on_* callbacks, and leaves the env.proxy_*
 * host functions undefined. This program defines every host function of v0.2.1 as an exported C symbol (-rdynamic), so
 * dlopen() binds the module's undefined proxy_* symbols to them, the native counterpart of instantiating a wasm module
 * with the env imports. It then drives one plugin (root context 1; more with plugin lines, below) and N HTTP streams
 * (contexts 2..N+1) and M TCP connections (contexts N+2..N+M+1) in the order
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
 * Response bodies: with response_body chunks in the input, the response headers go to proxy_on_response_headers with
 * end_of_stream 0, and each chunk to proxy_on_response_body(stream, buffered size, end_of_stream: 1 for the last)
 * once the headers went on. As in Envoy, a chunk after StopIterationAndBuffer (1) or StopIterationAndWatermark (2) is
 * appended to what is buffered, otherwise it starts a new buffer; the buffer is what proxy_get_buffer_bytes and
 * proxy_get_buffer_status read (buffer 1, HTTP_RESPONSE_BODY) during proxy_on_response_body, and what
 * proxy_set_buffer_bytes changes there with Envoy's rules (start 0: drop the first size bytes, then prepend the data;
 * start at or past the end: append; anything else BadArgument). Continue (0) sends the buffer downstream
 * (downstream_data); StopIterationNoBuffer (3) drops it. A body paused at its last chunk is held like paused headers
 * (answers, ticks) and then sent, or reported as response_stopped. There are no request bodies.
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
 * Properties: proxy_get_property looks a path up in the input's property keys first (they override anything), then
 * in what the module set with proxy_set_property on the effective context or on the root context (newest first), then
 * in the attributes derived, as Envoy does, from the live stream while it is the effective context: request.path,
 * request.method and request.host (the request's :path, :method and :authority; several values comma-joined),
 * request.id (the request's x-request-id) and
 * response.code (the upstream response's :status as an 8-byte little-endian int, once the response arrived; not for a
 * local response), and last plugin_root_id (the root_id key). Anything else is NotFound. proxy_set_property accepts
 * every path (Ok) and prints a set_property record.
 * Request bodies: with request_body in the input, the request headers callback gets end_of_stream = 0 and each chunk
 * then goes to proxy_on_request_body(ctx, buffered size, end_of_stream = 1 for the last chunk), readable as buffer 0
 * during the callback. After StopIterationAndBuffer (1) or StopIterationAndWatermark (2) the host keeps what it
 * buffered and appends the next chunk, as Envoy does; after any other action the next chunk replaces it. A stop at
 * the last chunk holds the request like a stop at its headers (answers, ticks, proxy_continue_stream); a local
 * response ends it. The body that goes upstream is printed as upstream_body.
 *
 * Shared data (host_state.c), as Envoy's SharedData: one value and CAS token per key, tokens from one counter for all
 * keys (never 0), a write with token 0 unconditional, a write with another key's stale token CasMismatch (8), a
 * missing key created whatever the token, a missing key read NotFound. Metrics: proxy_define_metric by type and name
 * (the same pair gives the same id; the id holds the type in its low 2 bits, as cpp-host numbers them; a type above
 * histogram is BadArgument); counters only go up (a negative increment is BadArgument) and add what is recorded,
 * gauges are incremented or set, histograms only record (increment and get are BadArgument); an unknown id is
 * NotFound. At the end of the run the host prints every shared-data key and every metric.
 * Plugins: root context 1 is the plugin of root_id and plugin_configuration; each plugin line adds one more, contexts
 * 2, 3... in input order, each started as cpp-host starts a plugin (context_create(root, 0), vm_start, configure; a
 * false result rejects that plugin and its streams and connections are not run). Streams and connections are numbered
 * after the last root context: streams first, then connections. stream_roots and connection_roots say which root each
 * belongs to (proxy_on_context_create(id, root)); plugin_root_id answers the root id of the effective context's plugin,
 * buffer 7 the configuration of the root being configured. HTTP and gRPC answers come on the root of the context that
 * made the call; ticks are for root context 1 only. proxy_set_effective_context accepts every root context and the
 * live stream or connection. Shutdown: done(root) -> delete(root) for each root in order.
 *
 * TCP connections (connections <n>, after the streams, one after the other, all with the same events, as Envoy runs a
 * network filter in front of tcp_proxy): proxy_on_context_create(id, root) -> proxy_on_new_connection(id) -> the
 * events in input order -> proxy_on_done -> proxy_on_log -> proxy_on_delete (done_pending as for a stream). A data
 * event appends its chunk to that direction's buffer and calls proxy_on_downstream_data / proxy_on_upstream_data(id,
 * bytes buffered, end_of_stream); buffers 2 (downstream) and 3 (upstream) are readable (proxy_get_buffer_status/_bytes)
 * and writable (proxy_set_buffer_bytes: Envoy's copyFrom, start 0 drains <size> bytes and prepends, a start at or past
 * the end appends, in between BadArgument) while the filter holds that direction's bytes, NotFound otherwise. Continue
 * (or no such callback) forwards what is buffered (downstream_forwarded / upstream_forwarded); StopIteration keeps it,
 * so the next callback sees the bytes accumulated. proxy_continue_stream(DOWNSTREAM) forwards the held downstream bytes
 * once the running callback returns (from any context that made the connection effective); proxy_continue_stream
 * (UPSTREAM) is Unimplemented, as in Envoy. proxy_close_stream(DOWNSTREAM or UPSTREAM) closes the connection once the
 * callback returns: proxy_on_downstream_connection_close(id, 1 LOCAL), the remaining events dropped. Upstream data
 * with end_of_stream is followed by proxy_on_upstream_connection_close(id, 0 UNKNOWN), as Envoy reports it; a
 * downstream_close event ends the events. Bytes still held when the events end are recorded (downstream_held,
 * upstream_held). The HTTP stream types (0, 1) are not for connections, nor 2 and 3 for streams (BadArgument).
 *
 * Shared queues: keyed by VM id (vm_id) and name; proxy_register_shared_queue gives a new key the next id (1, 2...,
 * after the shared_queue ones) and makes the effective context's root the queue's (the last to register gets the
 * callbacks, as in cpp-host); proxy_resolve_shared_queue finds any queue (NotFound otherwise); proxy_enqueue_shared_queue
 * (NotFound for an unknown id) queues a copy and, once the running callback returned, the host calls
 * proxy_on_queue_ready(root, id) on the registering root, once per enqueue, oldest first (a queue of another VM gets
 * none); proxy_dequeue_shared_queue gives the oldest message, Empty (7) when there is none.
 *
 * Foreign functions: proxy_call_foreign_function calls a function registered with foreign_function (identity: the
 * result is the arguments; fixed: the given bytes), NotFound for any other name. call_foreign_function makes the host
 * call proxy_on_foreign_function(root, function_id, arguments_size), the arguments readable as buffer 8 during it.
 * Both, with the messages of other VMs (queue_message), come after the plugins started, before the first stream.
 *
 * Input: tab-separated lines; values use the escapes of the output (\\ \t \n \r \xHH). Lines starting with # are
 * comments. Keys:
 *   root_id <id>                   plugin_root_id property (default: empty)
 *   vm_configuration <bytes>       VM configuration buffer (default: empty)
 *   plugin_configuration <bytes>   plugin configuration buffer (default: empty)
 *   log_level <0..5>               what proxy_get_log_level returns (default: 2, info, Envoy's default)
 *   request_header <name> <value>  a request header (names are lower-cased, as Envoy does); repeat for more
 *   response_header <name> <value> a header of the upstream response; repeat for more
 *   response_body [<bytes>]        a chunk of the upstream response body, possibly empty; repeat for more chunks, in
 *                                  order (default: none, the response ends with its headers)
 *   property <path> <value>        a property for proxy_get_property (path segments joined by \x00, e.g.
 *                                  source\x00port; the value any bytes, e.g. an int as \xb3\x15\x00\x00\x00\x00\x00\x00);
 *                                  repeat for more; overrides what the host derives
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
 *   request_body <bytes>           a chunk of every stream's request body; repeat for more chunks (default: no body)
 *   shared_data <key> [<bytes>]    a shared-data value another VM wrote before the run (a new CAS token each)
 *   shared_data_race <key> [<bytes>]   another VM writes <bytes> to <key> right before the module's next conditional
 *                                  proxy_set_shared_data of it (non-zero token), once per line: the race a
 *                                  read-modify-write must survive (recorded as shared_data_race)
 *   plugin <root_id> [<configuration>]   one more plugin: the next root context, its plugin_root_id and configuration
 *   stream_roots <ctx>[,<ctx>...]  the root context of each stream in order; the last one for the streams after
 *                                  (default: 1)
 *   connection_roots <ctx>[,...]   the same for connections
 *   vm_id <bytes>                  the VM id: plugin_vm_id, and the key of this VM's shared queues (default: empty)
 *   connections <n>                how many TCP connections to run, after the streams (default: 0)
 *   downstream_data <bytes> [<end_of_stream 0|1>]   a chunk from the client, on every connection; repeat, in order
 *   upstream_data <bytes> [<end_of_stream 0|1>]     a chunk from the upstream server
 *   downstream_close <peer>        the client connection closes: proxy_on_downstream_connection_close(id, peer);
 *                                  peer unknown|local|remote or 0..2; ends the connection's events
 *   upstream_close <peer>          proxy_on_upstream_connection_close(id, peer)
 *   foreign_function <name> identity | fixed <bytes>   a function proxy_call_foreign_function finds by name
 *   call_foreign_function <root ctx> <function_id> [<arguments>]   the host calls proxy_on_foreign_function
 *   shared_queue <vm_id> <name>    a queue another VM registered before this one starts (ids 1, 2... in order)
 *   queue_message <vm_id> <name> [<bytes>]   another VM enqueues a message to that queue, after the plugins start
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
 *   upstream_body <ctx> <body>                 the request body as sent upstream, when the input has one
 *   request_stopped <ctx> <action>             the request was not sent upstream (no local response)
 *   response_stopped <ctx> <action>            the response was not sent downstream (no local response)
 *   downstream_header <ctx> <name> <value>     response headers as sent downstream (incl. :status)
 *   downstream_body <ctx> <body>               body of a local response sent downstream
 *   downstream_data <ctx> <bytes>              response body data sent downstream: the buffer each time
 *                                              proxy_on_response_body continued (or a held last chunk was resumed)
 *   plugin_rejected <callback> <result>        proxy_on_vm_start/proxy_on_configure returned false: no streams
 *   done_pending <ctx>                         proxy_on_done returned false and proxy_done was not called
 *   set_property <ctx> <path> <value>          proxy_set_property (ctx: the effective context; path NUL-joined)
 *   shared_data_race <key> <value> <cas>       the other VM's write of shared_data_race happened (value, new token)
 *   metric_defined <id> <type> <name>          proxy_define_metric defined a new metric (type counter, gauge or
 *                                              histogram)
 *   histogram_value <name> <value>             proxy_record_metric recorded a value into a histogram
 *   shared_data <key> <value> <cas>            at the end of the run, every shared-data key, in creation order
 *   metric <id> <type> <name> <value>          at the end of the run, every metric, in definition order; a
 *                                              histogram's value is how many values it recorded
 *   downstream_forwarded <ctx> <bytes> <end_of_stream>   the client's bytes went upstream (a Continue, or resumed)
 *   upstream_forwarded <ctx> <bytes> <end_of_stream>     the upstream's bytes went to the client
 *   downstream_resumed <ctx>                   proxy_continue_stream(DOWNSTREAM) on connection ctx
 *   connection_close <ctx> <stream_type>       proxy_close_stream(DOWNSTREAM or UPSTREAM) on connection ctx
 *   downstream_held <ctx> <bytes>              bytes from the client never forwarded (the connection ended paused)
 *   upstream_held <ctx> <bytes>                bytes from the upstream never forwarded
 *   queue_registered <ctx> <id> <vm_id> <name> proxy_register_shared_queue (ctx: the effective context)
 *   enqueue <ctx> <id> <bytes>                 a message was queued (ctx 0: by another VM, queue_message)
 *   dequeue <ctx> <id> <bytes>                 a message was dequeued
 *   queue_message_dropped <vm_id> <name> <bytes>   queue_message for a queue nobody registered
 *   queue_left <id> <bytes>                    a message nobody dequeued (printed before the plugins shut down)
 *   foreign_call <ctx> <name> <arguments>      proxy_call_foreign_function (found or not)
 *   allocations <count> <bytes>                calls of proxy_on_memory_allocate, total bytes
 *   error <message>                            a protocol violation; the exit status is then non-zero
 *
 * Host data is always allocated in the module by calling its proxy_on_memory_allocate export, never with malloc, as
 * proxy-wasm-cpp-host does for a module that exports no malloc; the module owns and frees those blocks.
 */
#ifndef PROXYWASM_HOST_H
#define PROXYWASM_HOST_H

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
    ST_EMPTY = 7,
    ST_CAS_MISMATCH = 8,
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
    BUF_HTTP_REQUEST_BODY = 0,
    BUF_HTTP_RESPONSE_BODY = 1,
    BUF_DOWNSTREAM_DATA = 2,
    BUF_UPSTREAM_DATA = 3,
    BUF_HTTP_CALL_RESPONSE_BODY = 4,
    BUF_GRPC_RECEIVE_BUFFER = 5,
    BUF_VM_CONFIGURATION = 6,
    BUF_PLUGIN_CONFIGURATION = 7,
    BUF_FOREIGN_FUNCTION_ARGUMENTS = 8,
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

/* ---- state ---- */

typedef struct {
    bytes_t path;
    bytes_t value;
} property_t;

typedef enum { FAILURE_NONE, FAILURE_RESET, FAILURE_TIMEOUT } failure_t;

typedef struct {
    bytes_t root_id;
    bytes_t vm_configuration;
    bytes_t plugin_configuration;
    int32_t log_level;
    header_map_t input_request;
    header_map_t input_response;
    bytes_t *response_body;         /* the upstream response body, chunk by chunk (none: the headers end the response) */
    size_t response_body_count;
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
    bytes_t *request_body;          /* the chunks of every stream's request body (none: no body) */
    size_t request_body_count;
} input_t;

typedef enum { PHASE_NONE, PHASE_VM_START, PHASE_CONFIGURE, PHASE_REQUEST, PHASE_RESPONSE, PHASE_DONE } phase_t;

enum { STREAM_REQUEST = 0, STREAM_RESPONSE = 1 }; /* proxy_stream_type_t of the HTTP directions */
enum { STREAM_DOWNSTREAM = 2, STREAM_UPSTREAM = 3 };  /* and of a TCP connection's */

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

typedef struct {
    uint32_t context;      /* the context of the running callback (0 outside callbacks) */
    uint32_t effective;    /* the context host calls act on: the callback's, until proxy_set_effective_context */
    uint32_t stream;       /* the live stream context (0 when none): streams run one after the other */
    phase_t phase;
    header_map_t maps[4];  /* request headers/trailers, response headers/trailers of the current stream */
    int response_started;  /* response maps exist only once the upstream response arrived */
    bytes_t response_body; /* the response body buffered so far (buffer 1 during proxy_on_response_body) */
    int in_response_body;  /* proxy_on_response_body is running */
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
    bytes_t request_body;         /* what the host buffered of the stream's request body */
    int request_body_readable;    /* buffer 0 is readable: a request body callback is running */
    unsigned long allocations;
    unsigned long long allocated_bytes;
} state_t;

/* ---- several plugins, TCP connections, shared queues, foreign functions (host_plugins.c, host_network.c,
   host_queues.c) ---- */

typedef struct {
    bytes_t root_id;        /* plugin_root_id of this root context */
    bytes_t configuration;  /* its plugin configuration buffer */
    int accepted;           /* proxy_on_vm_start and proxy_on_configure did not return false */
} plugin_t;

typedef enum { NET_DOWNSTREAM_DATA, NET_UPSTREAM_DATA, NET_DOWNSTREAM_CLOSE, NET_UPSTREAM_CLOSE } net_event_kind_t;

typedef struct {
    net_event_kind_t kind;
    bytes_t data;           /* a data chunk */
    uint32_t end_of_stream;
    uint32_t peer_type;     /* a close: proxy_peer_type_t (0 unknown, 1 local, 2 remote) */
} net_event_t;

typedef enum { FOREIGN_IDENTITY, FOREIGN_FIXED } foreign_kind_t;

typedef struct {
    bytes_t name;
    foreign_kind_t kind;
    bytes_t result;         /* FOREIGN_FIXED */
} foreign_function_t;

typedef struct {
    uint32_t root;          /* proxy_on_foreign_function(root, function_id, size) */
    uint32_t function_id;
    bytes_t arguments;
} foreign_call_t;

typedef struct {
    uint32_t id;
    bytes_t vm_id;
    bytes_t name;
    uint32_t root;          /* the root context that gets proxy_on_queue_ready (0: a queue of another VM) */
    bytes_t *items;         /* messages not dequeued yet, oldest first */
    size_t count;
    size_t head;
} queue_t;

typedef struct {
    bytes_t vm_id;          /* a message another VM enqueues */
    bytes_t name;
    bytes_t value;
} queue_message_t;

typedef struct {
    bytes_t vm_id;                  /* plugin_vm_id; the VM's shared queues are keyed by it (default: empty) */
    plugin_t *plugins;              /* the plugins after the first (plugin), root contexts 2, 3... */
    size_t plugin_count;
    uint32_t *stream_roots;         /* stream_roots: the root context of each stream, in order */
    size_t stream_root_count;
    uint32_t *connection_roots;     /* connection_roots */
    size_t connection_root_count;
    unsigned connections;           /* connections <n> */
    net_event_t *events;            /* what happens on every connection, in order */
    size_t event_count;
    foreign_function_t *functions;  /* foreign_function */
    size_t function_count;
    foreign_call_t *foreign_calls;  /* call_foreign_function: the host calls the module's */
    size_t foreign_call_count;
    queue_t *queues;                /* shared_queue: queues of another VM, registered before the module starts */
    size_t queue_count;
    queue_message_t *queue_messages; /* queue_message */
    size_t queue_message_count;
} ext_input_t;

typedef struct {
    plugin_t *roots;        /* every root context: roots[i] is context i + 1 (the first from root_id and
                               plugin_configuration) */
    uint32_t root_count;
    uint32_t stream_root;   /* the root of the live HTTP stream */
    uint32_t connection;    /* the live TCP connection (0: none) and its root */
    uint32_t connection_root;
    bytes_t downstream;     /* bytes buffered from the client, not yet forwarded upstream */
    bytes_t upstream;       /* bytes buffered from the upstream, not yet forwarded to the client */
    int downstream_held;    /* buffer 2 exists: a chunk arrived and was not forwarded yet */
    int upstream_held;
    int downstream_resumed; /* proxy_continue_stream(DOWNSTREAM), acted on when the callback returns */
    int close_requested;    /* proxy_close_stream(DOWNSTREAM or UPSTREAM): the host closes the connection */
    const bytes_t *foreign_arguments; /* buffer 8, during proxy_on_foreign_function */
    queue_t *queues;        /* every shared queue, ids 1, 2... */
    size_t queue_count;
    uint32_t *ready;        /* proxy_on_queue_ready calls due (queue ids), oldest first */
    size_t ready_count;
    size_t ready_head;
    int delivering;         /* proxy_on_queue_ready calls are being delivered */
} ext_state_t;

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

typedef struct {
    allocate_fn allocate;
    word2_fn on_vm_start;
    word2_fn on_configure;
    void2_fn on_context_create;
    word3_fn on_request_headers;
    word3_fn on_request_body;
    word3_fn on_response_headers;
    word3_fn on_response_body;
    void5_fn on_http_call_response;
    void3_fn on_grpc_receive_initial_metadata;
    void3_fn on_grpc_receive;
    void3_fn on_grpc_receive_trailing_metadata;
    void3_fn on_grpc_close;
    void1_fn on_tick;
    word1_fn on_done;
    void1_fn on_log;
    void1_fn on_delete;
    word1_fn on_new_connection;             /* host_network.c */
    word3_fn on_downstream_data;
    word3_fn on_upstream_data;
    void2_fn on_downstream_connection_close;
    void2_fn on_upstream_connection_close;
    void2_fn on_queue_ready;                /* host_queues.c */
    void3_fn on_foreign_function;           /* host_plugins.c */
} module_t;

/* ---- shared between the files (hidden: not in the dynamic symbol table, which only main and proxy_* are in) ---- */

#pragma GCC visibility push(hidden)

/* host_main.c: the state */
extern input_t g_input;
extern state_t g;
extern module_t m;

/* host_main.c: driving the module */
void print_call(uint32_t context, const char *name, const char *args, const char *result);
void enter(uint32_t context);
/* The end of a stream or connection: proxy_on_done, then proxy_on_log and proxy_on_delete once done (host_main.c). */
void finish_context(uint32_t id);
bytes_t *stream_body(int32_t type); /* the body buffer of <type> host calls act on now, or NULL */

/* host_maps.c: byte strings */
void *xmalloc(size_t size);
bytes_t bytes_copy(const uint8_t *data, size_t size);
int bytes_equal(bytes_t a, const uint8_t *data, size_t size);
int32_t body_set(bytes_t *body, size_t start, size_t size, const uint8_t *data, size_t data_size);

/* host_maps.c: output */
extern int g_errors;
void record(const char *kind, const char *format, ...);
void protocol_error(const char *format, ...);

/* host_maps.c: header maps */
void map_add(header_map_t *map, const uint8_t *key, size_t key_size, const uint8_t *value, size_t value_size);
void map_remove(header_map_t *map, const uint8_t *key, size_t key_size);
void map_clear(header_map_t *map);
void map_copy(header_map_t *to, const header_map_t *from);
int map_get(const header_map_t *map, const uint8_t *key, size_t key_size, bytes_t *joined);
size_t pairs_size(const header_map_t *map);
void pairs_write(const header_map_t *map, uint8_t *out);
int pairs_read(const uint8_t *buffer, size_t size, header_map_t *map, const char *what);

/* host_calls.c: host function helpers */
int32_t copy_to_module(const uint8_t *data, size_t size, uint8_t **out_data, size_t *out_size);
int32_t hostcall(const char *name, int32_t status);
int valid_input(const void *data, size_t size);

/* host_properties.c: property lookup (value owned, i.e. to free, when *owned) and proxy_set_property's store */
int property_find(const uint8_t *path, size_t size, bytes_t *value, int *owned);
void property_set(const uint8_t *path, size_t path_size, const uint8_t *value, size_t value_size);
/* host_state.c: input keys (1 when the key is one of its own) and end-of-run records */
int state_input(const char *key, int count, bytes_t a, bytes_t b);
void state_print(void);

/* host_callouts.c: answers and ticks */
long next_call(uint32_t context);
void answer(long index);
int tick(void);

/* host_main.c: input */
int unescape(const char *text, bytes_t *out);

/* host_plugins.c: several plugins (root contexts), foreign functions, the new input keys */
extern ext_input_t g_ext;
extern ext_state_t x;
int read_ext_key(const char *key, char **fields, int count, bytes_t a, bytes_t b, const char **error);
void init_roots(void);
uint32_t root_of(uint32_t context);
int is_live_context(uint32_t context);
const bytes_t *current_root_id(void);
const bytes_t *current_plugin_configuration(void);
uint32_t root_of_stream(unsigned index);
void start_roots(void);
void call_foreign_functions(void);
void stop_roots(void);

/* host_network.c: TCP connections */
uint32_t root_of_connection(unsigned index);
void run_connection(uint32_t id, uint32_t root);
bytes_t *network_buffer(int32_t type);
int on_connection(void);
int32_t network_continue(int32_t stream_type);
int32_t network_close(int32_t stream_type);
int32_t network_set_buffer(bytes_t *buffer, size_t start, size_t size, const uint8_t *data, size_t data_size);

/* host_faults.c: a misbehaving host (refused local responses, odd callback orders) */
enum {
    ODD_UNKNOWN_IDS = 1u << 0,
    ODD_STREAM_WITH_ROOT_ID = 1u << 1,
    ODD_LIVE_ID_REUSED = 1u << 2,
    ODD_RESPONSE_BEFORE_REQUEST = 1u << 3,
    ODD_DELETE_TWICE = 1u << 4,
    ODD_PLUGIN_DELETED = 1u << 5,
};
typedef struct {
    int refuse_local_response;
    unsigned odd_orders;
} faults_input_t;
extern faults_input_t g_faults;
int faults_input(const char *key, int count, char **fields, const char **error);
void faults_before_streams(void);
void faults_after_create(uint32_t id, uint32_t root, unsigned index);
void faults_after_finish(uint32_t id);

/* host_queues.c: shared queues */
void init_queues(void);
void deliver_queue_ready(void);
void enqueue_from_other_vms(void);
void report_queues(void);

#pragma GCC visibility pop

#endif /* PROXYWASM_HOST_H */
