;; Refused at load: env.proxy_log imported with the wrong signature, and an env function no host registers.
(module
  (import "env" "proxy_log" (func (param i32 i32) (result i32)))
  (import "env" "proxy_no_such_function" (func))
  (memory (export "memory") 2)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) i32.const 1024))
