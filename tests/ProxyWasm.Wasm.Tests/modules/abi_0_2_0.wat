;; ABI 0.2.0 has no proxy_get_log_level (it came with 0.2.1): a 0.2.0 module that imports it is refused, naming it.
(module
  (import "env" "proxy_get_log_level" (func (param i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "proxy_abi_version_0_2_0"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) i32.const 1024))
