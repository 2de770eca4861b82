;; ABI 0.1.0: Envoy still loads it with the 0.1.0 callbacks, which the test host does not run; the report says so.
(module
  (memory (export "memory") 2)
  (func (export "proxy_abi_version_0_1_0"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) i32.const 1024))
