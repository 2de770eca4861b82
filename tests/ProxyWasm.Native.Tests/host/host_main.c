/* proxywasm_host: the state, loading the module, reading the input, driving the module (streams), main.
   What the host does, its input and its output records: see the comment at the top of host.h. */
#include "host.h"

/* ---- state ---- */

input_t g_input;
state_t g;

/* ---- the module ---- */

module_t m;

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

/* ---- input ---- */

int unescape(const char *text, bytes_t *out)
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
    g.response_body = bytes_copy(NULL, 0);
    g_ext.vm_id = bytes_copy(NULL, 0);
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
        } else if (strcmp(key, "response_body") == 0 && count <= 2) {
            bytes_t *chunks = realloc(g_input.response_body, (g_input.response_body_count + 1) * sizeof *chunks);
            if (chunks == NULL) {
                exit(70);
            }
            g_input.response_body = chunks;
            g_input.response_body[g_input.response_body_count++] = count == 2 ? a : bytes_copy(NULL, 0);
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
        } else if (strcmp(key, "request_body") == 0 && count <= 2) {
            bytes_t *chunks = realloc(g_input.request_body, (g_input.request_body_count + 1) * sizeof *chunks);
            if (chunks == NULL) {
                exit(70);
            }
            g_input.request_body = chunks;
            g_input.request_body[g_input.request_body_count++] = count == 2 ? a : bytes_copy(NULL, 0);
        } else if (!state_input(key, count, a, b)) {
            const char *error = NULL;
            if (!faults_input(key, count, fields, &error) && !read_ext_key(key, fields, count, a, b, &error)) {
                usage_error(number, "unknown key or wrong number of fields");
            }
            if (error != NULL) {
                usage_error(number, error);
            }
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

void print_call(uint32_t context, const char *name, const char *args, const char *result)
{
    record("call", "usss", context, name, args, result);
    deliver_queue_ready(); /* what the callback enqueued (host_queues.c) */
}

/* A callback of <context> starts: host calls act on it until the module picks another effective context. */
void enter(uint32_t context)
{
    g.context = context;
    g.effective = context;
}

/* The body buffer host calls act on: the live stream's response body while its proxy_on_response_body runs (on that
   stream, or on a context that made it the effective one). */
bytes_t *stream_body(int32_t type)
{
    int on_stream = g.stream != 0 && g.effective == g.stream;
    return type == BUF_HTTP_RESPONSE_BODY && on_stream && g.in_response_body ? &g.response_body : NULL;
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

/* The upstream response body, chunk by chunk, once the response headers went on (see host.h). */
static void run_response_body(uint32_t id)
{
    char args[64], result[16];
    uint32_t action = 0;
    for (size_t i = 0; i < g_input.response_body_count && !g.local_response_sent; i++) {
        const bytes_t *chunk = &g_input.response_body[i];
        int end_of_stream = i + 1 == g_input.response_body_count;
        if (action != 1 && action != 2) {
            free(g.response_body.data);
            g.response_body = bytes_copy(NULL, 0); /* after Continue it went downstream; NoBuffer dropped it */
        }
        bytes_t joined = { xmalloc(g.response_body.size + chunk->size + 1), g.response_body.size + chunk->size };
        memcpy(joined.data, g.response_body.data, g.response_body.size);
        if (chunk->size > 0) {
            memcpy(joined.data + g.response_body.size, chunk->data, chunk->size);
        }
        joined.data[joined.size] = 0;
        free(g.response_body.data);
        g.response_body = joined;

        action = 0;
        g.resumed[STREAM_RESPONSE] = 0;
        if (m.on_response_body != NULL) {
            uint32_t size = (uint32_t)g.response_body.size;
            enter(id);
            g.in_response_body = 1;
            action = m.on_response_body(id, size, (uint32_t)end_of_stream);
            g.in_response_body = 0;
            snprintf(args, sizeof args, "%u,%u,%d", id, size, end_of_stream);
            snprintf(result, sizeof result, "%u", action);
            print_call(id, "proxy_on_response_body", args, result);
        }
        if (g.local_response_sent) {
            break;
        }
        if (action == 0) {
            record("downstream_data", "ub", id, &g.response_body);
        } else if (end_of_stream) {
            if (stream_proceeds(id, action, STREAM_RESPONSE)) {
                record("downstream_data", "ub", id, &g.response_body);
            } else if (!g.local_response_sent) {
                record("response_stopped", "uu", id, action);
            }
        }
    }
    free(g.response_body.data);
    g.response_body = bytes_copy(NULL, 0);
}

/* The request body chunks through proxy_on_request_body, buffered as Envoy does (see host.h); whether the request goes
   on after the last one. <action> gets the last action returned. */
static int run_request_body(uint32_t id, uint32_t *action)
{
    char args[64], result[16];
    uint32_t body_action = 0;
    for (size_t c = 0; c < g_input.request_body_count; c++) {
        int last = c + 1 == g_input.request_body_count;
        if (body_action != 1 && body_action != 2) {
            g.request_body.size = 0; /* not buffered: the next chunk replaces what the module saw */
        }
        const bytes_t *chunk = &g_input.request_body[c];
        uint8_t *data = realloc(g.request_body.data, g.request_body.size + chunk->size + 1);
        if (data == NULL) {
            exit(70);
        }
        memcpy(data + g.request_body.size, chunk->data, chunk->size);
        g.request_body.data = data;
        g.request_body.size += chunk->size;
        body_action = 0;
        g.resumed[STREAM_REQUEST] = 0;
        if (m.on_request_body != NULL) {
            enter(id);
            g.request_body_readable = 1;
            body_action = m.on_request_body(id, (uint32_t)g.request_body.size, last ? 1 : 0);
            g.request_body_readable = 0;
            snprintf(args, sizeof args, "%u,%zu,%d", id, g.request_body.size, last ? 1 : 0);
            snprintf(result, sizeof result, "%u", body_action);
            print_call(id, "proxy_on_request_body", args, result);
        }
        *action = body_action;
        if (g.local_response_sent) {
            return 0;
        }
        if (last) {
            return stream_proceeds(id, body_action, STREAM_REQUEST);
        }
    }
    return 1;
}

static void run_stream(uint32_t id, uint32_t root, unsigned index)
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
    x.stream_root = root;
    g.phase = PHASE_NONE;
    if (m.on_context_create != NULL) {
        m.on_context_create(id, root);
        snprintf(args, sizeof args, "%u,%u", id, root);
        print_call(id, "proxy_on_context_create", args, "-");
    }
    faults_after_create(id, root, index); /* host_faults.c: odd orders, when asked for */

    /* Request: headers (end_of_stream = 1 unless the input has a body), then the body chunks. */
    g.phase = PHASE_REQUEST;
    map_copy(&g.maps[MAP_REQUEST_HEADERS], &g_input.input_request);
    int has_body = g_input.request_body_count > 0;
    uint32_t action = 0;
    if (m.on_request_headers != NULL) {
        uint32_t count = (uint32_t)g.maps[MAP_REQUEST_HEADERS].count;
        enter(id);
        action = m.on_request_headers(id, count, has_body ? 0 : 1);
        snprintf(args, sizeof args, "%u,%u,%d", id, count, has_body ? 0 : 1);
        snprintf(result, sizeof result, "%u", action);
        print_call(id, "proxy_on_request_headers", args, result);
    }
    int proceed = stream_proceeds(id, action, STREAM_REQUEST);
    if (has_body && proceed) {
        proceed = run_request_body(id, &action);
    }

    if (!g.local_response_sent) {
        if (!proceed) {
            /* Envoy turns StopIteration (and anything above 4) into StopAllIterationAndWatermark: nothing resumed
               the request (proxy_continue_stream), so it never reaches upstream. */
            record("request_stopped", "uu", id, action);
        } else {
            for (size_t i = 0; i < g.maps[MAP_REQUEST_HEADERS].count; i++) {
                record("upstream_header", "ubb", id, &g.maps[MAP_REQUEST_HEADERS].items[i].key, &g.maps[MAP_REQUEST_HEADERS].items[i].value);
            }
            if (has_body) {
                /* every chunk went upstream (this host cannot change a body: proxy_set_buffer_bytes is unimplemented) */
                bytes_t body = bytes_copy(NULL, 0);
                for (size_t i = 0; i < g_input.request_body_count; i++) {
                    uint8_t *data = realloc(body.data, body.size + g_input.request_body[i].size + 1);
                    if (data == NULL) {
                        exit(70);
                    }
                    memcpy(data + body.size, g_input.request_body[i].data, g_input.request_body[i].size);
                    body.data = data;
                    body.size += g_input.request_body[i].size;
                }
                record("upstream_body", "ub", id, &body);
                free(body.data);
            }

            /* Upstream response: headers only (end_of_stream = 1). */
            g.phase = PHASE_RESPONSE;
            g.response_started = 1;
            map_copy(&g.maps[MAP_RESPONSE_HEADERS], &g_input.input_response);
            action = 0;
            int headers_end = g_input.response_body_count == 0; /* end_of_stream: no body follows */
            if (m.on_response_headers != NULL) {
                uint32_t count = (uint32_t)g.maps[MAP_RESPONSE_HEADERS].count;
                enter(id);
                action = m.on_response_headers(id, count, (uint32_t)headers_end);
                snprintf(args, sizeof args, "%u,%u,%d", id, count, headers_end);
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
                    run_response_body(id);
                }
            }
        }
    }

    finish_context(id);
    faults_after_finish(id);
    g.stream = 0;
}

/* The end of a stream or connection, as cpp-host ends a context: proxy_on_done, then proxy_on_log and proxy_on_delete
   once the context is done (a false done leaves it pending: done_pending). Leaves the root context current. */
void finish_context(uint32_t id)
{
    char args[16], result[16];
    g.phase = PHASE_DONE;
    uint32_t done = 1;
    snprintf(args, sizeof args, "%u", id);
    if (m.on_done != NULL) {
        enter(id);
        done = m.on_done(id);
        snprintf(result, sizeof result, "%u", done);
        print_call(id, "proxy_on_done", args, result);
    }
    if (done == 0 && !g.done_called) {
        record("done_pending", "u", id);
    } else {
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
    }
    enter(0);
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
    m.on_request_body = (word3_fn)find(module, "proxy_on_request_body");
    m.on_response_headers = (word3_fn)find(module, "proxy_on_response_headers");
    m.on_response_body = (word3_fn)find(module, "proxy_on_response_body");
    m.on_http_call_response = (void5_fn)find(module, "proxy_on_http_call_response");
    m.on_grpc_receive_initial_metadata = (void3_fn)find(module, "proxy_on_grpc_receive_initial_metadata");
    m.on_grpc_receive = (void3_fn)find(module, "proxy_on_grpc_receive");
    m.on_grpc_receive_trailing_metadata = (void3_fn)find(module, "proxy_on_grpc_receive_trailing_metadata");
    m.on_grpc_close = (void3_fn)find(module, "proxy_on_grpc_close");
    m.on_tick = (void1_fn)find(module, "proxy_on_tick");
    m.on_done = (word1_fn)find(module, "proxy_on_done");
    m.on_log = (void1_fn)find(module, "proxy_on_log");
    m.on_delete = (void1_fn)find(module, "proxy_on_delete");

    m.on_new_connection = (word1_fn)find(module, "proxy_on_new_connection");
    m.on_downstream_data = (word3_fn)find(module, "proxy_on_downstream_data");
    m.on_upstream_data = (word3_fn)find(module, "proxy_on_upstream_data");
    m.on_downstream_connection_close = (void2_fn)find(module, "proxy_on_downstream_connection_close");
    m.on_upstream_connection_close = (void2_fn)find(module, "proxy_on_upstream_connection_close");
    m.on_queue_ready = (void2_fn)find(module, "proxy_on_queue_ready");
    m.on_foreign_function = (void3_fn)find(module, "proxy_on_foreign_function");

    /* Root contexts 1, 2...: context_create(root, 0) -> vm_start(root, vm_configuration_size) -> configure(root,
       plugin_configuration_size), each (host_plugins.c). */
    init_roots();
    init_queues();
    start_roots();

    /* Then the host's calls of module functions and other VMs' messages, the streams, the connections, the ticks
       left, each part only for the plugins that started (ticks: root context 1). */
    g.ticks_left = g_input.ticks;
    call_foreign_functions();
    enqueue_from_other_vms();
    faults_before_streams();
    uint32_t next = x.root_count + 1;
    for (unsigned i = 0; i < g_input.streams; i++, next++) {
        uint32_t root = root_of_stream(i);
        if (x.roots[root - 1].accepted) {
            run_stream(next, root, i);
        }
    }
    for (unsigned i = 0; i < g_ext.connections; i++, next++) {
        uint32_t root = root_of_connection(i);
        if (x.roots[root - 1].accepted) {
            run_connection(next, root);
        }
    }
    if (x.roots[0].accepted) {
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
    report_queues();

    /* Plugin shutdown: done(root) -> delete(root), each root context. */
    stop_roots();

    state_print();
    record("allocations", "uu", (unsigned)g.allocations, (unsigned)g.allocated_bytes);
    /* The NativeAOT runtime cannot be unloaded; the module stays mapped until exit. */
    return g_errors == 0 ? 0 : 4;
}
