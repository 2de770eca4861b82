/* proxywasm_host: a host that misbehaves on purpose (issue 13). Input keys:
 *   refuse_local_response          proxy_send_local_response answers InternalFailure (10) and sends nothing
 *                                  (record local_response_refused <ctx> <status_code>), as a host that cannot
 *                                  reply locally; HTTP proxy_close_stream still resets the stream (stream_reset)
 *   odd_order <name>               call the module in an order a well-behaved host never uses; repeat for several:
 *     unknown_ids                    before the streams: every exported stream and root callback for context ids
 *                                    that were never created (0x7fff0000...)
 *     stream_with_root_id            before the streams: proxy_on_context_create(1, 1), then proxy_on_request_headers(1)
 *                                    with the input's request headers, as if context 1 were a stream
 *     live_id_reused                 after each stream's proxy_on_context_create: the same call again, and
 *                                    proxy_on_context_create(1, 0) for the live root
 *     response_before_request        after each stream's proxy_on_context_create: proxy_on_response_headers with the
 *                                    input's response headers before the request's
 *     delete_twice                   after each stream ends: proxy_on_delete again
 *     plugin_deleted_before_streams  after the first stream's proxy_on_context_create: proxy_on_done(1) and
 *                                    proxy_on_delete(1), then a new root context 1000 (context_create, vm_start,
 *                                    configure), then the stream runs
 * Each extra call is printed as a call record like any other. */
#include "host.h"

faults_input_t g_faults;

static const struct {
    const char *name;
    unsigned flag;
} k_orders[] = {
    { "unknown_ids", ODD_UNKNOWN_IDS },
    { "stream_with_root_id", ODD_STREAM_WITH_ROOT_ID },
    { "live_id_reused", ODD_LIVE_ID_REUSED },
    { "response_before_request", ODD_RESPONSE_BEFORE_REQUEST },
    { "delete_twice", ODD_DELETE_TWICE },
    { "plugin_deleted_before_streams", ODD_PLUGIN_DELETED },
};

int faults_input(const char *key, int count, char **fields, const char **error)
{
    if (strcmp(key, "refuse_local_response") == 0 && count == 1) {
        g_faults.refuse_local_response = 1;
        return 1;
    }
    if (strcmp(key, "odd_order") == 0 && count == 2) {
        for (size_t i = 0; i < sizeof k_orders / sizeof k_orders[0]; i++) {
            if (strcmp(fields[1], k_orders[i].name) == 0) {
                g_faults.odd_orders |= k_orders[i].flag;
                return 1;
            }
        }
        *error = "unknown odd_order";
        return 1;
    }
    return 0;
}

static void call_void1(void1_fn fn, const char *name, uint32_t id)
{
    char args[32];
    if (fn != NULL) {
        enter(id);
        fn(id);
        snprintf(args, sizeof args, "%u", id);
        print_call(id, name, args, "-");
    }
}

static void call_word3(word3_fn fn, const char *name, uint32_t id, uint32_t a, uint32_t b)
{
    char args[64], result[16];
    if (fn != NULL) {
        enter(id);
        uint32_t r = fn(id, a, b);
        snprintf(args, sizeof args, "%u,%u,%u", id, a, b);
        snprintf(result, sizeof result, "%u", r);
        print_call(id, name, args, result);
    }
}

static void create(uint32_t id, uint32_t parent)
{
    char args[32];
    if (m.on_context_create != NULL) {
        enter(id);
        m.on_context_create(id, parent);
        snprintf(args, sizeof args, "%u,%u", id, parent);
        print_call(id, "proxy_on_context_create", args, "-");
    }
}

void faults_before_streams(void)
{
    if (g_faults.odd_orders & ODD_UNKNOWN_IDS) {
        uint32_t id = 0x7fff0000u;
        call_word3(m.on_request_headers, "proxy_on_request_headers", id++, 0, 1);
        call_word3(m.on_request_body, "proxy_on_request_body", id++, 0, 1);
        call_word3(m.on_response_headers, "proxy_on_response_headers", id++, 0, 1);
        call_word3(m.on_response_body, "proxy_on_response_body", id++, 0, 1);
        if (m.on_done != NULL) {
            char args[32], result[16];
            enter(id);
            uint32_t done = m.on_done(id);
            snprintf(args, sizeof args, "%u", id);
            snprintf(result, sizeof result, "%u", done);
            print_call(id, "proxy_on_done", args, result);
            id++;
        }
        call_void1(m.on_log, "proxy_on_log", id++);
        call_void1(m.on_tick, "proxy_on_tick", id++);
        call_void1(m.on_delete, "proxy_on_delete", id++);
        enter(0);
    }
    if (g_faults.odd_orders & ODD_STREAM_WITH_ROOT_ID) {
        create(ROOT_CONTEXT_ID, ROOT_CONTEXT_ID);
        /* The host treats context 1 as a stream: its request headers, and a local reply is accepted for it. */
        g.local_response_sent = 0;
        g.stream = ROOT_CONTEXT_ID;
        g.phase = PHASE_REQUEST;
        map_copy(&g.maps[MAP_REQUEST_HEADERS], &g_input.input_request);
        call_word3(m.on_request_headers, "proxy_on_request_headers", ROOT_CONTEXT_ID, (uint32_t)g.maps[MAP_REQUEST_HEADERS].count, 1);
        map_clear(&g.maps[MAP_REQUEST_HEADERS]);
        g.stream = 0;
        g.phase = PHASE_NONE;
        g.local_response_sent = 0;
        enter(0);
    }
}

void faults_after_create(uint32_t id, uint32_t root, unsigned index)
{
    if (g_faults.odd_orders & ODD_LIVE_ID_REUSED) {
        create(id, root);
        create(root, 0);
        enter(id);
    }
    if ((g_faults.odd_orders & ODD_PLUGIN_DELETED) && index == 0) {
        char args[32], result[16];
        g.phase = PHASE_DONE;
        if (m.on_done != NULL) {
            enter(root);
            uint32_t done = m.on_done(root);
            snprintf(args, sizeof args, "%u", root);
            snprintf(result, sizeof result, "%u", done);
            print_call(root, "proxy_on_done", args, result);
        }
        call_void1(m.on_delete, "proxy_on_delete", root);
        g.phase = PHASE_NONE;
        const uint32_t successor = 1000;
        create(successor, 0);
        if (m.on_vm_start != NULL) {
            enter(successor);
            g.phase = PHASE_VM_START;
            uint32_t ok = m.on_vm_start(successor, 0);
            snprintf(args, sizeof args, "%u,0", successor);
            snprintf(result, sizeof result, "%u", ok);
            print_call(successor, "proxy_on_vm_start", args, result);
        }
        if (m.on_configure != NULL) {
            enter(successor);
            g.phase = PHASE_CONFIGURE;
            uint32_t ok = m.on_configure(successor, 0);
            snprintf(args, sizeof args, "%u,0", successor);
            snprintf(result, sizeof result, "%u", ok);
            print_call(successor, "proxy_on_configure", args, result);
        }
        g.phase = PHASE_NONE;
        enter(id);
    }
    if (g_faults.odd_orders & ODD_RESPONSE_BEFORE_REQUEST) {
        g.phase = PHASE_RESPONSE;
        map_copy(&g.maps[MAP_RESPONSE_HEADERS], &g_input.input_response);
        call_word3(m.on_response_headers, "proxy_on_response_headers", id, (uint32_t)g.maps[MAP_RESPONSE_HEADERS].count, 1);
        map_clear(&g.maps[MAP_RESPONSE_HEADERS]);
        g.phase = PHASE_NONE;
        enter(id);
    }
}

void faults_after_finish(uint32_t id)
{
    if (g_faults.odd_orders & ODD_DELETE_TWICE) {
        call_void1(m.on_delete, "proxy_on_delete", id);
        enter(0);
    }
}
