/* proxywasm_host: byte strings, output records and header maps (the pairs format). See host.h. */
#include "host.h"

/* ---- byte strings ---- */

void *xmalloc(size_t size)
{
    void *p = malloc(size == 0 ? 1 : size);
    if (p == NULL) {
        fprintf(stderr, "proxywasm_host: out of memory\n");
        exit(70);
    }
    return p;
}

bytes_t bytes_copy(const uint8_t *data, size_t size)
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

int bytes_equal(bytes_t a, const uint8_t *data, size_t size)
{
    return a.size == size && (size == 0 || memcmp(a.data, data, size) == 0);
}

/* proxy_set_buffer_bytes on an HTTP body, as Envoy's Buffer::copyFrom: start 0 drops the first <size> bytes (all of
   them when there are fewer) and prepends the data; a start at or past the end appends it; any other start is
   BadArgument. */
int32_t body_set(bytes_t *body, size_t start, size_t size, const uint8_t *data, size_t data_size)
{
    if (start != 0 && start < body->size) {
        return ST_BAD_ARGUMENT;
    }
    size_t drop = start == 0 ? (size < body->size ? size : body->size) : 0;
    size_t kept = body->size - drop;
    bytes_t result = { xmalloc(kept + data_size + 1), kept + data_size };
    if (start == 0) {
        if (data_size > 0) {
            memcpy(result.data, data, data_size);
        }
        if (kept > 0) {
            memcpy(result.data + data_size, body->data + drop, kept);
        }
    } else {
        if (kept > 0) {
            memcpy(result.data, body->data, kept);
        }
        if (data_size > 0) {
            memcpy(result.data + kept, data, data_size);
        }
    }
    result.data[result.size] = 0;
    free(body->data);
    *body = result;
    return ST_OK;
}

/* ---- output ---- */

int g_errors;

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
void record(const char *kind, const char *format, ...)
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

void protocol_error(const char *format, ...)
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

void map_add(header_map_t *map, const uint8_t *key, size_t key_size, const uint8_t *value, size_t value_size)
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

void map_remove(header_map_t *map, const uint8_t *key, size_t key_size)
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

void map_clear(header_map_t *map)
{
    for (size_t i = 0; i < map->count; i++) {
        free(map->items[i].key.data);
        free(map->items[i].value.data);
    }
    map->count = 0;
}

void map_copy(header_map_t *to, const header_map_t *from)
{
    map_clear(to);
    for (size_t i = 0; i < from->count; i++) {
        map_add(to, from->items[i].key.data, from->items[i].key.size, from->items[i].value.data, from->items[i].value.size);
    }
}

/* Envoy returns every value of a repeated header joined with ','. Returns 0 when the key is absent. */
int map_get(const header_map_t *map, const uint8_t *key, size_t key_size, bytes_t *joined)
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
size_t pairs_size(const header_map_t *map)
{
    size_t size = 4;
    for (size_t i = 0; i < map->count; i++) {
        size += 8 + map->items[i].key.size + 1 + map->items[i].value.size + 1;
    }
    return size;
}

void pairs_write(const header_map_t *map, uint8_t *out)
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
int pairs_read(const uint8_t *buffer, size_t size, header_map_t *map, const char *what)
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
