/* proxywasm_host: several plugins (root contexts) in one VM, foreign functions (both directions), and the input keys
   of the TCP connections, shared queues and foreign functions. See host.h. */
#include "host.h"

ext_input_t g_ext;
ext_state_t x;

/* ---- input ---- */

static void *grow(void *items, size_t count, size_t size)
{
    void *more = realloc(items, (count + 1) * size);
    if (more == NULL) {
        fprintf(stderr, "proxywasm_host: out of memory\n");
        exit(70);
    }
    return more;
}

static int parse_number(const char *text, unsigned long max, unsigned long *value)
{
    char *end = NULL;
    errno = 0;
    *value = strtoul(text, &end, 10);
    return isdigit((unsigned char)text[0]) && *end == 0 && errno == 0 && *value <= max;
}

/* A comma-separated list of context ids (1..1000). */
static int parse_roots(const char *text, uint32_t **roots, size_t *count)
{
    char *copy = strdup(text);
    if (copy == NULL) {
        exit(70);
    }
    *count = 0;
    int ok = 1;
    for (char *item = strtok(copy, ","); item != NULL; item = strtok(NULL, ",")) {
        unsigned long root;
        if (!parse_number(item, 1000, &root) || root == 0) {
            ok = 0;
            break;
        }
        *roots = grow(*roots, *count, sizeof **roots);
        (*roots)[(*count)++] = (uint32_t)root;
    }
    free(copy);
    return ok && *count > 0;
}

static int parse_peer(const char *text, uint32_t *peer)
{
    unsigned long value;
    if (strcmp(text, "unknown") == 0 || strcmp(text, "local") == 0 || strcmp(text, "remote") == 0) {
        *peer = text[0] == 'u' ? 0 : text[0] == 'l' ? 1 : 2;
        return 1;
    }
    if (!parse_number(text, 2, &value)) {
        return 0;
    }
    *peer = (uint32_t)value;
    return 1;
}

/* The keys of host_plugins.c, host_network.c and host_queues.c (host.h): 1 when <key> is one of them (then *error says
   what is wrong with its values, if anything), 0 for another key. <a> and <b> are the unescaped first two values. */
int read_ext_key(const char *key, char **fields, int count, bytes_t a, bytes_t b, const char **error)
{
    *error = NULL;
    if (strcmp(key, "vm_id") == 0 && count <= 2) {
        g_ext.vm_id = count == 2 ? a : bytes_copy(NULL, 0);
    } else if (strcmp(key, "plugin") == 0 && (count == 2 || count == 3)) {
        g_ext.plugins = grow(g_ext.plugins, g_ext.plugin_count, sizeof *g_ext.plugins);
        g_ext.plugins[g_ext.plugin_count++] = (plugin_t){ a, count == 3 ? b : bytes_copy(NULL, 0), 0 };
    } else if ((strcmp(key, "stream_roots") == 0 || strcmp(key, "connection_roots") == 0) && count == 2) {
        int streams = key[0] == 's';
        if (!parse_roots(fields[1], streams ? &g_ext.stream_roots : &g_ext.connection_roots,
                         streams ? &g_ext.stream_root_count : &g_ext.connection_root_count)) {
            *error = "needs root context ids 1..1000, separated by commas";
        }
    } else if (strcmp(key, "connections") == 0 && count == 2) {
        unsigned long connections;
        if (!parse_number(fields[1], 100000, &connections)) {
            *error = "connections must be 0..100000";
        }
        g_ext.connections = (unsigned)connections;
    } else if ((strcmp(key, "downstream_data") == 0 || strcmp(key, "upstream_data") == 0) && (count == 2 || count == 3)) {
        unsigned long end = 0;
        if (count == 3 && !parse_number(fields[2], 1, &end)) {
            *error = "end_of_stream must be 0 or 1";
        }
        g_ext.events = grow(g_ext.events, g_ext.event_count, sizeof *g_ext.events);
        g_ext.events[g_ext.event_count++] = (net_event_t){ key[0] == 'd' ? NET_DOWNSTREAM_DATA : NET_UPSTREAM_DATA, a, (uint32_t)end, 0 };
    } else if ((strcmp(key, "downstream_close") == 0 || strcmp(key, "upstream_close") == 0) && count == 2) {
        uint32_t peer = 0;
        if (!parse_peer(fields[1], &peer)) {
            *error = "the peer type must be unknown, local, remote or 0..2";
        }
        g_ext.events = grow(g_ext.events, g_ext.event_count, sizeof *g_ext.events);
        g_ext.events[g_ext.event_count++] = (net_event_t){ key[0] == 'd' ? NET_DOWNSTREAM_CLOSE : NET_UPSTREAM_CLOSE, bytes_copy(NULL, 0), 0, peer };
    } else if (strcmp(key, "foreign_function") == 0 && (count == 3 || count == 4)) {
        foreign_function_t function = { a, FOREIGN_IDENTITY, bytes_copy(NULL, 0) };
        if (strcmp(fields[2], "identity") == 0 && count == 3) {
            function.kind = FOREIGN_IDENTITY;
        } else if (strcmp(fields[2], "fixed") == 0 && count == 4 && unescape(fields[3], &function.result)) {
            function.kind = FOREIGN_FIXED;
        } else {
            *error = "foreign_function needs a name and identity, or fixed and the result bytes";
        }
        g_ext.functions = grow(g_ext.functions, g_ext.function_count, sizeof *g_ext.functions);
        g_ext.functions[g_ext.function_count++] = function;
    } else if (strcmp(key, "call_foreign_function") == 0 && (count == 3 || count == 4)) {
        unsigned long root, id;
        bytes_t arguments = bytes_copy(NULL, 0);
        if (!parse_number(fields[1], 1000, &root) || root == 0 || !parse_number(fields[2], UINT32_MAX, &id)
            || (count == 4 && !unescape(fields[3], &arguments))) {
            *error = "call_foreign_function needs a root context id, a function id and, optionally, the argument bytes";
            root = id = 0;
        }
        g_ext.foreign_calls = grow(g_ext.foreign_calls, g_ext.foreign_call_count, sizeof *g_ext.foreign_calls);
        g_ext.foreign_calls[g_ext.foreign_call_count++] = (foreign_call_t){ (uint32_t)root, (uint32_t)id, arguments };
    } else if (strcmp(key, "shared_queue") == 0 && count == 3) {
        g_ext.queues = grow(g_ext.queues, g_ext.queue_count, sizeof *g_ext.queues);
        g_ext.queues[g_ext.queue_count++] = (queue_t){ 0, a, b, 0, NULL, 0, 0 };
    } else if (strcmp(key, "queue_message") == 0 && (count == 3 || count == 4)) {
        bytes_t value = bytes_copy(NULL, 0);
        if (count == 4 && !unescape(fields[3], &value)) {
            *error = "bad escape in the message";
        }
        g_ext.queue_messages = grow(g_ext.queue_messages, g_ext.queue_message_count, sizeof *g_ext.queue_messages);
        g_ext.queue_messages[g_ext.queue_message_count++] = (queue_message_t){ a, b, value };
    } else {
        return 0;
    }
    return 1;
}

/* ---- root contexts ---- */

static void check_roots(const uint32_t *roots, size_t count, const char *key)
{
    for (size_t i = 0; i < count; i++) {
        if (roots[i] > x.root_count) {
            fprintf(stderr, "proxywasm_host: %s names root context %u; there are %u (plugin adds more)\n", key, roots[i], x.root_count);
            exit(2);
        }
    }
}

/* Root context 1 is the plugin of root_id and plugin_configuration; each plugin line adds the next one. */
void init_roots(void)
{
    x.root_count = (uint32_t)(1 + g_ext.plugin_count);
    x.roots = xmalloc(x.root_count * sizeof *x.roots);
    x.roots[0] = (plugin_t){ g_input.root_id, g_input.plugin_configuration, 0 };
    for (size_t i = 0; i < g_ext.plugin_count; i++) {
        x.roots[i + 1] = g_ext.plugins[i];
    }
    check_roots(g_ext.stream_roots, g_ext.stream_root_count, "stream_roots");
    check_roots(g_ext.connection_roots, g_ext.connection_root_count, "connection_roots");
    for (size_t i = 0; i < g_ext.foreign_call_count; i++) {
        check_roots(&g_ext.foreign_calls[i].root, 1, "call_foreign_function");
    }
}

static uint32_t listed_root(const uint32_t *roots, size_t count, unsigned index)
{
    return count == 0 ? ROOT_CONTEXT_ID : roots[index < count ? index : count - 1];
}

/* The root context of stream <index> (0-based): stream_roots, the last entry for the streams beyond the list; 1 without. */
uint32_t root_of_stream(unsigned index)
{
    return listed_root(g_ext.stream_roots, g_ext.stream_root_count, index);
}

uint32_t root_of_connection(unsigned index)
{
    return listed_root(g_ext.connection_roots, g_ext.connection_root_count, index);
}

/* The root context a context belongs to (itself for a root), 0 for a context that is not alive. */
uint32_t root_of(uint32_t context)
{
    if (context >= ROOT_CONTEXT_ID && context <= x.root_count) {
        return context;
    }
    if (context != 0 && context == g.stream) {
        return x.stream_root;
    }
    if (context != 0 && context == x.connection) {
        return x.connection_root;
    }
    return 0;
}

int is_live_context(uint32_t context)
{
    return root_of(context) != 0;
}

/* plugin_root_id: the root id of the effective context's plugin. */
const bytes_t *current_root_id(void)
{
    uint32_t root = root_of(g.effective);
    return &x.roots[root == 0 ? 0 : root - 1].root_id;
}

/* Buffer 7: the configuration of the root context being configured. */
const bytes_t *current_plugin_configuration(void)
{
    uint32_t root = root_of(g.context);
    return &x.roots[root == 0 ? 0 : root - 1].configuration;
}

/* Each root context in order, as cpp-host starts a plugin: context_create(root, 0) -> vm_start(root,
   vm_configuration_size) -> configure(root, plugin_configuration_size); a false result rejects that plugin. */
void start_roots(void)
{
    char args[64], result[16];
    for (uint32_t root = ROOT_CONTEXT_ID; root <= x.root_count; root++) {
        plugin_t *plugin = &x.roots[root - 1];
        plugin->accepted = 1;
        enter(root);
        if (m.on_context_create != NULL) {
            m.on_context_create(root, 0);
            snprintf(args, sizeof args, "%u,0", root);
            print_call(root, "proxy_on_context_create", args, "-");
        }
        if (m.on_vm_start != NULL) {
            g.phase = PHASE_VM_START;
            enter(root);
            uint32_t ok = m.on_vm_start(root, (uint32_t)g_input.vm_configuration.size);
            snprintf(args, sizeof args, "%u,%zu", root, g_input.vm_configuration.size);
            snprintf(result, sizeof result, "%u", ok);
            g.phase = PHASE_NONE;
            print_call(root, "proxy_on_vm_start", args, result);
            if (ok == 0) {
                record("plugin_rejected", "su", "proxy_on_vm_start", ok);
                plugin->accepted = 0;
            }
        }
        if (plugin->accepted && m.on_configure != NULL) {
            g.phase = PHASE_CONFIGURE;
            enter(root);
            uint32_t ok = m.on_configure(root, (uint32_t)plugin->configuration.size);
            snprintf(args, sizeof args, "%u,%zu", root, plugin->configuration.size);
            snprintf(result, sizeof result, "%u", ok);
            g.phase = PHASE_NONE;
            print_call(root, "proxy_on_configure", args, result);
            if (ok == 0) {
                record("plugin_rejected", "su", "proxy_on_configure", ok);
                plugin->accepted = 0;
            }
        }
        g.phase = PHASE_NONE;
        enter(0);
    }
}

/* Plugin shutdown, each root context in order: done(root) -> delete(root). */
void stop_roots(void)
{
    char args[64], result[16];
    for (uint32_t root = ROOT_CONTEXT_ID; root <= x.root_count; root++) {
        g.phase = PHASE_DONE;
        snprintf(args, sizeof args, "%u", root);
        if (m.on_done != NULL) {
            enter(root);
            uint32_t done = m.on_done(root);
            snprintf(result, sizeof result, "%u", done);
            print_call(root, "proxy_on_done", args, result);
        }
        if (m.on_delete != NULL) {
            enter(root);
            m.on_delete(root);
            print_call(root, "proxy_on_delete", args, "-");
        }
        enter(0);
        g.phase = PHASE_NONE;
    }
}

/* ---- foreign functions ---- */

/* The host's calls of the module's functions (call_foreign_function), after the plugins started, before the first
   stream: proxy_on_foreign_function(root, function_id, arguments_size) on that root context, the arguments readable as
   buffer 8 during the call (Envoy has no such caller of its own; a host that has one calls it this way). Skipped for
   a plugin that was rejected, or when the module does not export the callback. */
void call_foreign_functions(void)
{
    char args[64];
    for (size_t i = 0; i < g_ext.foreign_call_count; i++) {
        const foreign_call_t *call = &g_ext.foreign_calls[i];
        if (m.on_foreign_function == NULL || !x.roots[call->root - 1].accepted) {
            continue;
        }
        x.foreign_arguments = &call->arguments;
        enter(call->root);
        m.on_foreign_function(call->root, call->function_id, (uint32_t)call->arguments.size);
        snprintf(args, sizeof args, "%u,%u,%zu", call->root, call->function_id, call->arguments.size);
        x.foreign_arguments = NULL;
        print_call(call->root, "proxy_on_foreign_function", args, "-");
        enter(0);
    }
}

/* Envoy's call_foreign_function: a function the host registered under that name (foreign_function) gets the
   arguments and its result is copied into the module; NotFound for any other name. Recorded as foreign_call. */
int32_t proxy_call_foreign_function(const uint8_t *function_name_data, size_t function_name_size, const uint8_t *arguments_data,
                                    size_t arguments_size, uint8_t **return_results_data, size_t *return_results_size)
{
    if (!valid_input(function_name_data, function_name_size) || !valid_input(arguments_data, arguments_size)
        || return_results_data == NULL || return_results_size == NULL) {
        return hostcall("proxy_call_foreign_function", ST_INVALID_MEMORY_ACCESS);
    }
    record("foreign_call", "urr", g.effective, function_name_data, function_name_size, arguments_data, arguments_size);
    for (size_t i = 0; i < g_ext.function_count; i++) {
        const foreign_function_t *function = &g_ext.functions[i];
        if (bytes_equal(function->name, function_name_data, function_name_size)) {
            int32_t status = function->kind == FOREIGN_IDENTITY
                ? copy_to_module(arguments_data, arguments_size, return_results_data, return_results_size)
                : copy_to_module(function->result.data, function->result.size, return_results_data, return_results_size);
            return hostcall("proxy_call_foreign_function", status);
        }
    }
    return hostcall("proxy_call_foreign_function", ST_NOT_FOUND); /* Envoy: no such foreign function */
}
