using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ProxyWasm.Benchmarks.RequestLifecycleBenchmarks).Assembly).Run(args);
