/* AddHeader by hand (samples/AddHeader): the plugin configuration (plain text, default "world!") read once in
   proxy_on_configure, then `hello: <value>` added to every response. */
#include "c_filter.h"

static char value[256] = "world!";
static size_t value_size = 6;

EXPORT uint32_t proxy_on_configure(uint32_t root_context_id, size_t configuration_size)
{
    (void)root_context_id;
    char *data = NULL;
    size_t size = 0;
    if (configuration_size > 0 && proxy_get_buffer_bytes(7, 0, configuration_size, &data, &size) == 0 && data != NULL) {
        value_size = size < sizeof value ? size : sizeof value;
        memcpy(value, data, value_size);
    }
    release_block(data);
    return 1;
}

EXPORT uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    proxy_add_header_map_value(2, "hello", 5, value, value_size);
    return 0; /* Continue */
}
