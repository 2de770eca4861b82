/* HelloWorld by hand (samples/HelloWorld): x-hello: "Hello world from " + :authority, on a stack buffer, one
   host-allocated value (the :authority lookup) freed before returning. */
#include "c_filter.h"

EXPORT uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    static const char prefix[] = "Hello world from ";
    char buffer[256];
    size_t length = sizeof prefix - 1;
    memcpy(buffer, prefix, length);
    char *authority = NULL;
    size_t authority_size = 0;
    if (proxy_get_header_map_value(0, ":authority", 10, &authority, &authority_size) == 0 && authority != NULL) {
        size_t n = authority_size < sizeof buffer - length ? authority_size : sizeof buffer - length;
        memcpy(buffer + length, authority, n);
        length += n;
    }
    release_block(authority);
    proxy_replace_header_map_value(0, "x-hello", 7, buffer, length);
    return 0; /* Continue */
}
