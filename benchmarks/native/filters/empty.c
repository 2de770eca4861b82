/* The empty filter: the ABI marker and the allocator only. The host calls nothing of it per request, so its run is the
   host's own cost of a request; every other module's run minus this one is what its filter costs. */
#include "c_filter.h"
