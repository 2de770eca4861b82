/* proxywasm_host: state beyond one stream, with Envoy's semantics: shared data (proxy_get_shared_data,
   proxy_set_shared_data), metrics (proxy_define_metric, proxy_increment_metric, proxy_record_metric, proxy_get_metric),
   their input keys and end-of-run records (shared queues: host_queues.c). See host.h. */
#include "host.h"

/* ---- shared data: one value and CAS token per key; tokens come from one counter for all keys and are never 0 ---- */

typedef struct {
    bytes_t key;
    bytes_t value;
    uint32_t cas;
} shared_entry_t;

/* Input shared_data_race: another VM writes value to key right before the module's next conditional write of it. */
typedef struct {
    bytes_t key;
    bytes_t value;
    int pending;
} shared_race_t;

static shared_entry_t *g_shared;
static size_t g_shared_count;
static shared_race_t *g_races;
static size_t g_race_count;
static uint32_t g_cas;

static uint32_t next_cas(void)
{
    if (++g_cas == 0) {
        g_cas = 1;
    }
    return g_cas;
}

static shared_entry_t *shared_find(const uint8_t *key, size_t key_size)
{
    for (size_t i = 0; i < g_shared_count; i++) {
        if (bytes_equal(g_shared[i].key, key, key_size)) {
            return &g_shared[i];
        }
    }
    return NULL;
}

static shared_entry_t *shared_add(const uint8_t *key, size_t key_size)
{
    shared_entry_t *entries = realloc(g_shared, (g_shared_count + 1) * sizeof *entries);
    if (entries == NULL) {
        exit(70);
    }
    g_shared = entries;
    shared_entry_t *entry = &g_shared[g_shared_count++];
    memset(entry, 0, sizeof *entry);
    entry->key = bytes_copy(key, key_size);
    entry->value = bytes_copy(NULL, 0);
    return entry;
}

/* A write by another VM (input): the value, with a new token. */
static void shared_write(shared_entry_t *entry, bytes_t value)
{
    free(entry->value.data);
    entry->value = bytes_copy(value.data, value.size);
    entry->cas = next_cas();
}

int32_t proxy_get_shared_data(const uint8_t *key_data, size_t key_size, uint8_t **return_value_data, size_t *return_value_size, uint32_t *return_cas)
{
    if (!valid_input(key_data, key_size)) {
        return hostcall("proxy_get_shared_data", ST_INVALID_MEMORY_ACCESS);
    }
    if (return_cas == NULL) {
        return hostcall("proxy_get_shared_data", ST_INVALID_MEMORY_ACCESS);
    }
    shared_entry_t *entry = shared_find(key_data, key_size);
    if (entry == NULL) {
        return hostcall("proxy_get_shared_data", ST_NOT_FOUND);
    }
    int32_t status = copy_to_module(entry->value.data, entry->value.size, return_value_data, return_value_size);
    if (status == ST_OK) {
        *return_cas = entry->cas;
    }
    return hostcall("proxy_get_shared_data", status);
}

/* Envoy (SharedData::set): a non-zero token must match the key's; 0 writes unconditionally; a missing key is created
   whatever the token. Every write gives the key a new token. */
int32_t proxy_set_shared_data(const uint8_t *key_data, size_t key_size, const uint8_t *value_data, size_t value_size, uint32_t cas)
{
    if (!valid_input(key_data, key_size) || !valid_input(value_data, value_size)) {
        return hostcall("proxy_set_shared_data", ST_INVALID_MEMORY_ACCESS);
    }
    shared_entry_t *entry = shared_find(key_data, key_size);
    for (size_t i = 0; cas != 0 && i < g_race_count; i++) {
        if (g_races[i].pending && bytes_equal(g_races[i].key, key_data, key_size)) {
            g_races[i].pending = 0;
            if (entry == NULL) {
                entry = shared_add(key_data, key_size);
            }
            shared_write(entry, g_races[i].value);
            record("shared_data_race", "bbu", &entry->key, &entry->value, entry->cas);
            break;
        }
    }
    if (entry != NULL && cas != 0 && entry->cas != cas) {
        return hostcall("proxy_set_shared_data", ST_CAS_MISMATCH);
    }
    if (entry == NULL) {
        entry = shared_add(key_data, key_size);
    }
    free(entry->value.data);
    entry->value = bytes_copy(value_data, value_size);
    entry->cas = next_cas();
    return hostcall("proxy_set_shared_data", ST_OK);
}

/* shared queues: host_queues.c */

/* ---- metrics: defined by type and name; the id holds the type in its low 2 bits and the index above them, as
   proxy-wasm-cpp-host numbers them. Counters only go up (a negative increment is BadArgument) and add what is
   recorded, gauges are incremented or set, histograms are recorded only (increment and get are BadArgument). ---- */

enum { METRIC_COUNTER = 0, METRIC_GAUGE = 1, METRIC_HISTOGRAM = 2 };

typedef struct {
    bytes_t name;
    int32_t type;
    uint32_t id;
    uint64_t value;        /* a histogram's: how many values were recorded */
} metric_t;

static metric_t *g_metrics;
static size_t g_metric_count;

static metric_t *metric_by_id(uint32_t id)
{
    size_t index = (id >> 2);
    if (index == 0 || index > g_metric_count || g_metrics[index - 1].id != id) {
        return NULL;
    }
    return &g_metrics[index - 1];
}

static const char *metric_type_name(int32_t type)
{
    return type == METRIC_COUNTER ? "counter" : type == METRIC_GAUGE ? "gauge" : "histogram";
}

int32_t proxy_define_metric(int32_t metric_type, const uint8_t *name_data, size_t name_size, uint32_t *return_metric_id)
{
    if (!valid_input(name_data, name_size) || return_metric_id == NULL) {
        return hostcall("proxy_define_metric", ST_INVALID_MEMORY_ACCESS);
    }
    if (metric_type < METRIC_COUNTER || metric_type > METRIC_HISTOGRAM) {
        return hostcall("proxy_define_metric", ST_BAD_ARGUMENT);
    }
    for (size_t i = 0; i < g_metric_count; i++) {
        if (g_metrics[i].type == metric_type && bytes_equal(g_metrics[i].name, name_data, name_size)) {
            *return_metric_id = g_metrics[i].id;
            return hostcall("proxy_define_metric", ST_OK);
        }
    }
    metric_t *metrics = realloc(g_metrics, (g_metric_count + 1) * sizeof *metrics);
    if (metrics == NULL) {
        exit(70);
    }
    g_metrics = metrics;
    metric_t *metric = &g_metrics[g_metric_count++];
    metric->name = bytes_copy(name_data, name_size);
    metric->type = metric_type;
    metric->id = ((uint32_t)g_metric_count << 2) | (uint32_t)metric_type;
    metric->value = 0;
    record("metric_defined", "usb", metric->id, metric_type_name(metric_type), &metric->name);
    *return_metric_id = metric->id;
    return hostcall("proxy_define_metric", ST_OK);
}

int32_t proxy_increment_metric(uint32_t metric_id, int64_t offset)
{
    metric_t *metric = metric_by_id(metric_id);
    if (metric == NULL) {
        return hostcall("proxy_increment_metric", ST_NOT_FOUND);
    }
    if ((metric->type == METRIC_COUNTER && offset < 0) || metric->type == METRIC_HISTOGRAM) {
        return hostcall("proxy_increment_metric", ST_BAD_ARGUMENT);
    }
    metric->value += (uint64_t)offset;
    return hostcall("proxy_increment_metric", ST_OK);
}

int32_t proxy_record_metric(uint32_t metric_id, uint64_t value)
{
    metric_t *metric = metric_by_id(metric_id);
    if (metric == NULL) {
        return hostcall("proxy_record_metric", ST_NOT_FOUND);
    }
    if (metric->type == METRIC_COUNTER) {
        metric->value += value;
    } else if (metric->type == METRIC_GAUGE) {
        metric->value = value;
    } else {
        char text[32];
        snprintf(text, sizeof text, "%llu", (unsigned long long)value);
        record("histogram_value", "bs", &metric->name, text);
        metric->value++;
    }
    return hostcall("proxy_record_metric", ST_OK);
}

int32_t proxy_get_metric(uint32_t metric_id, uint64_t *return_value)
{
    if (return_value == NULL) {
        return hostcall("proxy_get_metric", ST_INVALID_MEMORY_ACCESS);
    }
    metric_t *metric = metric_by_id(metric_id);
    if (metric == NULL) {
        return hostcall("proxy_get_metric", ST_NOT_FOUND);
    }
    if (metric->type == METRIC_HISTOGRAM) {
        return hostcall("proxy_get_metric", ST_BAD_ARGUMENT); /* Envoy cannot read a histogram back */
    }
    *return_value = metric->value;
    return hostcall("proxy_get_metric", ST_OK);
}

/* ---- input and end-of-run records ---- */

int state_input(const char *key, int count, bytes_t a, bytes_t b)
{
    if (strcmp(key, "shared_data") == 0 && (count == 2 || count == 3)) {
        shared_entry_t *entry = shared_find(a.data, a.size);
        shared_write(entry != NULL ? entry : shared_add(a.data, a.size), count == 3 ? b : bytes_copy(NULL, 0));
        return 1;
    }
    if (strcmp(key, "shared_data_race") == 0 && (count == 2 || count == 3)) {
        shared_race_t *races = realloc(g_races, (g_race_count + 1) * sizeof *races);
        if (races == NULL) {
            exit(70);
        }
        g_races = races;
        g_races[g_race_count++] = (shared_race_t){ a, count == 3 ? b : bytes_copy(NULL, 0), 1 };
        return 1;
    }
    return 0;
}

void state_print(void)
{
    for (size_t i = 0; i < g_shared_count; i++) {
        record("shared_data", "bbu", &g_shared[i].key, &g_shared[i].value, g_shared[i].cas);
    }
    for (size_t i = 0; i < g_metric_count; i++) {
        char value[32];
        snprintf(value, sizeof value, "%llu", (unsigned long long)g_metrics[i].value);
        record("metric", "ussb", g_metrics[i].id, metric_type_name(g_metrics[i].type), value, &g_metrics[i].name);
    }
}
