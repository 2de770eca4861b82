;; Refused at load: a WASI preview 2 (component model) import, as NativeAOT-LLVM leaves behind
;; (wasi:cli/environment@0.2.0 get-environment). Envoy's hosts register no such function.
(module
  (import "wasi:cli/environment@0.2.0" "get-environment" (func (param i32)))
  (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) i32.const 1024)
  (func (export "proxy_on_context_create") (param i32 i32)))
