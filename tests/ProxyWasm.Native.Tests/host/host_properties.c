/* proxywasm_host: properties (proxy_get_property, proxy_set_property) as Envoy answers them. See host.h.

   A path is looked up in this order: the input's property keys (the test's word), then what the module set with
   proxy_set_property on the effective context or the root context, then the attributes derived from the live stream
   when it is the effective context (request.path, request.method, request.host, request.id from the request headers;
   response.code, an 8-byte little-endian int, from the :status of the upstream response headers), then
   plugin_root_id (the root_id key). */
#include "host.h"

typedef struct {
    uint32_t context;
    bytes_t path;
    bytes_t value;
} set_property_t;

static set_property_t *g_set;
static size_t g_set_count;

#define PATH(literal) (const uint8_t *)(literal), sizeof(literal) - 1

static int path_is(const uint8_t *path, size_t size, const uint8_t *literal, size_t literal_size)
{
    return size == literal_size && (size == 0 || memcmp(path, literal, size) == 0);
}

/* The attribute derived from the stream, into *out (xmalloc'ed); 0 when there is none. */
static int derived(const uint8_t *path, size_t size, bytes_t *out)
{
    if (g.stream == 0 || g.effective != g.stream) {
        return 0; /* a root context (or no stream): Envoy has no request there */
    }
    static const struct {
        const char *path;
        size_t path_size;
        const char *header;
    } request[] = {
        { "request\0path", sizeof "request\0path" - 1, ":path" },
        { "request\0method", sizeof "request\0method" - 1, ":method" },
        { "request\0host", sizeof "request\0host" - 1, ":authority" },
        { "request\0id", sizeof "request\0id" - 1, "x-request-id" },
    };
    for (size_t i = 0; i < sizeof request / sizeof request[0]; i++) {
        if (path_is(path, size, (const uint8_t *)request[i].path, request[i].path_size)) {
            return map_get(&g.maps[MAP_REQUEST_HEADERS], (const uint8_t *)request[i].header, strlen(request[i].header), out);
        }
    }
    if (path_is(path, size, PATH("response\0code")) && g.response_started) {
        bytes_t status = { 0 };
        if (!map_get(&g.maps[MAP_RESPONSE_HEADERS], (const uint8_t *)":status", 7, &status)) {
            return 0;
        }
        int64_t code = 0;
        for (size_t i = 0; i < status.size && status.data[i] >= '0' && status.data[i] <= '9'; i++) {
            code = code * 10 + (status.data[i] - '0');
        }
        free(status.data);
        out->data = xmalloc(8);
        out->size = 8;
        memcpy(out->data, &code, 8); /* little-endian, as on wasm */
        return 1;
    }
    return 0;
}

int property_find(const uint8_t *path, size_t size, bytes_t *value, int *owned)
{
    *owned = 0;
    for (size_t i = 0; i < g_input.property_count; i++) {
        if (bytes_equal(g_input.properties[i].path, path, size)) {
            *value = g_input.properties[i].value;
            return 1;
        }
    }
    for (size_t i = g_set_count; i-- > 0;) {
        if ((g_set[i].context == g.effective || g_set[i].context == ROOT_CONTEXT_ID) && bytes_equal(g_set[i].path, path, size)) {
            *value = g_set[i].value;
            return 1;
        }
    }
    if (derived(path, size, value)) {
        *owned = 1;
        return 1;
    }
    if (path_is(path, size, PATH("plugin_root_id"))) {
        *value = g_input.root_id;
        return 1;
    }
    return 0;
}

void property_set(const uint8_t *path, size_t path_size, const uint8_t *value, size_t value_size)
{
    record("set_property", "urr", g.effective, path, path_size, value, value_size);
    set_property_t *set = realloc(g_set, (g_set_count + 1) * sizeof *set);
    if (set == NULL) {
        exit(70);
    }
    g_set = set;
    g_set[g_set_count++] = (set_property_t){ g.effective, bytes_copy(path, path_size), bytes_copy(value, value_size) };
}
