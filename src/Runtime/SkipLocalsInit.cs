// The runtime's locals and stackalloc buffers are not zeroed (as in System.Private.CoreLib): every method assigns a
// local before reading it (C# definite assignment), and every stack buffer here is read only where it was written
// (Utf8ValueBuilder, PairsWriter and PropertyPath read back what they appended; SharedData writes its 8 bytes first).
// It saves the frame zeroing of each call on the request path, and the zeroing of each stackalloc.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
