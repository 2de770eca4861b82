/* HeaderAuthorization by hand (samples/HeaderAuthorization): continue when `allow: true`, otherwise log at info and
   send a local 403 with content-type text/plain and the sample's body. */
#include "c_filter.h"

EXPORT uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream)
{
    (void)context_id; (void)headers; (void)end_of_stream;
    char *allow = NULL;
    size_t allow_size = 0;
    int allowed = proxy_get_header_map_value(0, "allow", 5, &allow, &allow_size) == 0 && allow_size == 4 &&
                  memcmp(allow, "true", 4) == 0;
    release_block(allow);
    if (allowed) {
        return 0; /* Continue */
    }
    static const char message[] = "header-authorization: allow header not found or is not true, deny by default";
    proxy_log(2, message, sizeof message - 1);
    static const char body[] = "Forbidden by ASM Wasm Plugin, csharp version\n";
    /* one pair: count 1, name length 12, value length 10, "content-type\0text/plain\0" */
    char pairs[4 + 8 + 13 + 11];
    uint32_t words[3] = { 1, 12, 10 };
    memcpy(pairs, words, sizeof words);
    memcpy(pairs + 12, "content-type", 13);
    memcpy(pairs + 25, "text/plain", 11);
    proxy_send_local_response(403, NULL, 0, body, sizeof body - 1, pairs, sizeof pairs, -1);
    return 1; /* StopIteration */
}
