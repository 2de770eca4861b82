/* The C counterparts of Floor.cs's exports (docs/benchmarks.md, "Floor"): the cost of a callback and of a host call
   when neither side has a runtime. floor_nop is the driver's (-rdynamic), called through the PLT like proxy_*. */
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

extern uint32_t floor_nop(uint32_t value);

EXPORT uint32_t floor_empty(uint32_t a, uint32_t b, uint32_t c)
{
    (void)a; (void)b; (void)c;
    return 0;
}

EXPORT uint32_t floor_call(uint32_t a, uint32_t b, uint32_t c)
{
    (void)b; (void)c;
    return floor_nop(a);
}

EXPORT uint32_t floor_call_x2(uint32_t a, uint32_t b, uint32_t c)
{
    (void)c;
    return floor_nop(a) + floor_nop(b);
}
