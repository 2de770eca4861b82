using Xunit;

// HostMemory keeps process-wide state (the block record and the scope depth), so tests that allocate host memory
// must not run concurrently. The fake host is attached per thread, which would be safe, but the blocks it allocates
// are not.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
