/* proxywasm_host: shared queues (the host functions) and proxy_on_queue_ready. See host.h. */
#include "host.h"

/* ---- the queues ---- */

static queue_t *find_queue(uint32_t id)
{
    return id >= 1 && id <= x.queue_count ? &x.queues[id - 1] : NULL;
}

static queue_t *queue_named(const uint8_t *vm_id, size_t vm_id_size, const uint8_t *name, size_t name_size)
{
    for (size_t i = 0; i < x.queue_count; i++) {
        if (bytes_equal(x.queues[i].vm_id, vm_id, vm_id_size) && bytes_equal(x.queues[i].name, name, name_size)) {
            return &x.queues[i];
        }
    }
    return NULL;
}

static queue_t *add_queue(const uint8_t *vm_id, size_t vm_id_size, const uint8_t *name, size_t name_size)
{
    queue_t *queues = realloc(x.queues, (x.queue_count + 1) * sizeof *queues);
    if (queues == NULL) {
        exit(70);
    }
    x.queues = queues;
    x.queues[x.queue_count] = (queue_t){ (uint32_t)(x.queue_count + 1), bytes_copy(vm_id, vm_id_size), bytes_copy(name, name_size), 0, NULL, 0, 0 };
    return &x.queues[x.queue_count++];
}

static void push(queue_t *queue, const uint8_t *value, size_t size)
{
    bytes_t *items = realloc(queue->items, (queue->count + 1) * sizeof *items);
    if (items == NULL) {
        exit(70);
    }
    queue->items = items;
    queue->items[queue->count++] = bytes_copy(value, size);
    if (queue->root != 0) {
        /* cpp-host posts queueReady(context_id, token) to the registering VM's thread: it runs after the callback */
        uint32_t *ready = realloc(x.ready, (x.ready_count + 1) * sizeof *ready);
        if (ready == NULL) {
            exit(70);
        }
        x.ready = ready;
        x.ready[x.ready_count++] = queue->id;
    }
}

/* The queues of another VM (shared_queue), registered before the module starts: ids 1, 2... in input order. */
void init_queues(void)
{
    for (size_t i = 0; i < g_ext.queue_count; i++) {
        const queue_t *queue = &g_ext.queues[i];
        if (queue_named(queue->vm_id.data, queue->vm_id.size, queue->name.data, queue->name.size) == NULL) {
            add_queue(queue->vm_id.data, queue->vm_id.size, queue->name.data, queue->name.size);
        }
    }
}

/* Messages of another VM (queue_message), after the plugins started, before the first stream: enqueued to the queue
   registered under that VM id and name (each then one proxy_on_queue_ready), or recorded as queue_message_dropped. */
void enqueue_from_other_vms(void)
{
    for (size_t i = 0; i < g_ext.queue_message_count; i++) {
        const queue_message_t *message = &g_ext.queue_messages[i];
        queue_t *queue = queue_named(message->vm_id.data, message->vm_id.size, message->name.data, message->name.size);
        if (queue == NULL) {
            record("queue_message_dropped", "bbb", &message->vm_id, &message->name, &message->value);
            continue;
        }
        record("enqueue", "uub", 0u, queue->id, &message->value);
        push(queue, message->value.data, message->value.size);
        deliver_queue_ready();
    }
}

/* The proxy_on_queue_ready calls due, oldest first, each on the root context that registered the queue (last), as
   cpp-host posts them: one per enqueue, after the callback that enqueued returned (print_call calls this). A call the
   module makes meanwhile is delivered in turn. Nothing for a module without the callback. */
void deliver_queue_ready(void)
{
    if (x.delivering || x.ready_head == x.ready_count) {
        return;
    }
    x.delivering = 1;
    uint32_t context = g.context, effective = g.effective;
    phase_t phase = g.phase;
    unsigned delivered = 0;
    while (x.ready_head < x.ready_count) {
        queue_t *queue = find_queue(x.ready[x.ready_head++]);
        if (m.on_queue_ready == NULL || queue == NULL || queue->root == 0) {
            continue;
        }
        if (++delivered > MAX_ANSWERS_PER_PAUSE) {
            protocol_error("still enqueueing after %u proxy_on_queue_ready calls", MAX_ANSWERS_PER_PAUSE);
            x.ready_head = x.ready_count;
            break;
        }
        char args[32];
        uint32_t root = queue->root, id = queue->id;
        g.phase = PHASE_NONE;
        enter(root);
        m.on_queue_ready(root, id);
        snprintf(args, sizeof args, "%u,%u", root, id);
        print_call(root, "proxy_on_queue_ready", args, "-");
    }
    g.phase = phase;
    g.context = context;
    g.effective = effective;
    x.delivering = 0;
}

/* Messages nobody dequeued, printed before the plugins shut down. */
void report_queues(void)
{
    for (size_t i = 0; i < x.queue_count; i++) {
        for (size_t j = x.queues[i].head; j < x.queues[i].count; j++) {
            record("queue_left", "ub", x.queues[i].id, &x.queues[i].items[j]);
        }
    }
}

/* ---- host functions ---- */

/* cpp-host registerSharedQueue: keyed by the VM id (vm_id) and the name; a new key gets the next id (1, 2...), a known
   one keeps its id and its messages. The root context of the effective context (itself, or a stream's) becomes the
   queue's: the last to register gets proxy_on_queue_ready. */
int32_t proxy_register_shared_queue(const uint8_t *name_data, size_t name_size, uint32_t *return_queue_id)
{
    if (!valid_input(name_data, name_size) || return_queue_id == NULL) {
        return hostcall("proxy_register_shared_queue", ST_INVALID_MEMORY_ACCESS);
    }
    queue_t *queue = queue_named(g_ext.vm_id.data, g_ext.vm_id.size, name_data, name_size);
    if (queue == NULL) {
        queue = add_queue(g_ext.vm_id.data, g_ext.vm_id.size, name_data, name_size);
    }
    queue->root = root_of(g.effective);
    *return_queue_id = queue->id;
    record("queue_registered", "uubr", g.effective, queue->id, &g_ext.vm_id, name_data, name_size);
    return hostcall("proxy_register_shared_queue", ST_OK);
}

int32_t proxy_resolve_shared_queue(const uint8_t *vm_id_data, size_t vm_id_size, const uint8_t *name_data, size_t name_size, uint32_t *return_queue_id)
{
    if (!valid_input(vm_id_data, vm_id_size) || !valid_input(name_data, name_size) || return_queue_id == NULL) {
        return hostcall("proxy_resolve_shared_queue", ST_INVALID_MEMORY_ACCESS);
    }
    queue_t *queue = queue_named(vm_id_data, vm_id_size, name_data, name_size);
    if (queue == NULL) {
        return hostcall("proxy_resolve_shared_queue", ST_NOT_FOUND);
    }
    *return_queue_id = queue->id;
    return hostcall("proxy_resolve_shared_queue", ST_OK);
}

int32_t proxy_enqueue_shared_queue(uint32_t queue_id, const uint8_t *value_data, size_t value_size)
{
    if (!valid_input(value_data, value_size)) {
        return hostcall("proxy_enqueue_shared_queue", ST_INVALID_MEMORY_ACCESS);
    }
    queue_t *queue = find_queue(queue_id);
    if (queue == NULL) {
        return hostcall("proxy_enqueue_shared_queue", ST_NOT_FOUND);
    }
    record("enqueue", "uur", g.effective, queue_id, value_data, value_size);
    push(queue, value_data, value_size);
    return hostcall("proxy_enqueue_shared_queue", ST_OK);
}

int32_t proxy_dequeue_shared_queue(uint32_t queue_id, uint8_t **return_value_data, size_t *return_value_size)
{
    if (return_value_data == NULL || return_value_size == NULL) {
        return hostcall("proxy_dequeue_shared_queue", ST_INVALID_MEMORY_ACCESS);
    }
    queue_t *queue = find_queue(queue_id);
    if (queue == NULL) {
        return hostcall("proxy_dequeue_shared_queue", ST_NOT_FOUND);
    }
    if (queue->head == queue->count) {
        return hostcall("proxy_dequeue_shared_queue", ST_EMPTY);
    }
    bytes_t *value = &queue->items[queue->head++];
    record("dequeue", "uub", g.effective, queue_id, value);
    int32_t status = copy_to_module(value->data, value->size, return_value_data, return_value_size);
    free(value->data);
    value->data = NULL;
    return hostcall("proxy_dequeue_shared_queue", status);
}
