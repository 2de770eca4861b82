using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography;
using Wasmtime;

namespace ProxyWasm.Testing;

/// <summary>
/// The WASI preview 1 functions proxy-wasm-cpp-host implements (<c>FOR_ALL_WASI_FUNCTIONS</c>,
/// <c>src/exports.cc</c>), with its signatures and behaviour: <c>fd_write</c> to stdout and stderr becomes a log line
/// (info and error, one trailing newline dropped), the clocks are the host's, <c>random_get</c> gives at most 64 KiB,
/// there are no arguments, environment or files, and the rest answer cpp-host's errno (ENOTSUP, EBADF, ENOSYS, …).
/// </summary>
internal static class WasiPreview1
{
    private const int Success = 0, BadFd = 8, Fault = 21, Invalid = 28, NoEntry = 44, NoSys = 52, NotSupported = 58, NotDir = 20;
    private const int RandomMaxBytes = 64 * 1024;

    public static readonly IReadOnlyList<WasmImportSignature> Functions =
    [
        W("fd_write", "iiii", static (vm, a) => FdWrite(vm, a[0].AsInt32(), (uint)a[1].AsInt32(), (uint)a[2].AsInt32(), (uint)a[3].AsInt32())),
        W("fd_read", "iiii", static (_, _) => NoSys),
        W("fd_seek", "iIii", static (vm, _) => { vm.HostError("wasi_unstable fd_seek"); return Success; }),
        W("fd_close", "i", static (vm, _) => { vm.HostError("wasi_unstable fd_close"); return Success; }),
        W("fd_fdstat_get", "ii", static (vm, a) => FdFdstatGet(vm, a[0].AsInt32(), (uint)a[1].AsInt32())),
        W("fd_fdstat_set_flags", "ii", static (_, _) => NoSys),
        W("fd_fdstat_set_rights", "iII", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("environ_get", "ii", static (_, _) => Success),
        W("environ_sizes_get", "ii", static (vm, a) => WriteZeros32(vm, a[0], a[1])),
        W("args_get", "ii", static (_, _) => Success),
        W("args_sizes_get", "ii", static (vm, a) => WriteZeros32(vm, a[0], a[1])),
        W("clock_time_get", "iIi", static (vm, a) => a[0].AsInt32() switch
        {
            0 => vm.TryWrite64((uint)a[2].AsInt32(), vm.RealtimeNanoseconds()) ? Success : Fault,
            1 => vm.TryWrite64((uint)a[2].AsInt32(), (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency))) ? Success : Fault,
            _ => NotSupported,
        }),
        W("clock_res_get", "ii", static (vm, a) => a[0].AsInt32() is 0 or 1 ? (vm.TryWrite64((uint)a[1].AsInt32(), 1) ? Success : Fault) : NotSupported),
        W("fd_advise", "iIIi", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("fd_allocate", "iII", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("fd_datasync", "i", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("fd_filestat_set_size", "iI", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("fd_filestat_set_times", "iIIi", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("fd_pread", "iiiIi", static (_, _) => NoSys),
        W("fd_pwrite", "iiiIi", static (vm, a) => StdFd(a[0]) ? FdWrite(vm, a[0].AsInt32(), (uint)a[1].AsInt32(), (uint)a[2].AsInt32(), (uint)a[4].AsInt32()) : BadFd),
        W("fd_readdir", "iiiIi", static (vm, a) => vm.TryWrite32((uint)a[4].AsInt32(), 0) ? NotDir : Fault),
        W("fd_renumber", "ii", static (_, a) => StdFd(a[0]) && StdFd(a[1]) ? NotSupported : BadFd),
        W("fd_sync", "i", static (_, a) => StdFd(a[0]) ? Success : BadFd),
        W("fd_tell", "ii", static (vm, a) => !StdFd(a[0]) ? BadFd : vm.TryWrite64((uint)a[1].AsInt32(), 0) ? Success : Fault),
        W("path_create_directory", "iii", static (_, _) => NotSupported),
        W("path_filestat_set_times", "iiiiIIi", static (_, _) => NotSupported),
        W("path_link", "iiiiii", static (_, _) => NotSupported),
        W("path_readlink", "iiiiii", static (vm, a) => vm.TryWrite32((uint)a[5].AsInt32(), 0) ? NotSupported : Fault),
        W("path_remove_directory", "iii", static (_, _) => NotSupported),
        W("path_rename", "iiiiii", static (_, _) => NotSupported),
        W("path_symlink", "iiii", static (_, _) => NotSupported),
        W("path_unlink_file", "iii", static (_, _) => NotSupported),
        W("sock_accept", "iii", static (vm, a) => vm.TryWrite32((uint)a[2].AsInt32(), 0) ? NotSupported : Fault),
        W("sock_recv", "iiiiii", static (vm, a) => vm.TryWrite32((uint)a[4].AsInt32(), 0) && vm.TryWrite16((uint)a[5].AsInt32(), 0) ? NotSupported : Fault),
        W("sock_send", "iiiii", static (vm, a) => vm.TryWrite32((uint)a[4].AsInt32(), 0) ? NotSupported : Fault),
        W("sock_shutdown", "ii", static (_, _) => NotSupported),
        W("random_get", "ii", static (vm, a) => RandomGet(vm, (uint)a[0].AsInt32(), (uint)a[1].AsInt32())),
        W("sched_yield", "", static (_, _) => Success),
        W("poll_oneoff", "iiii", static (vm, a) => vm.TryWrite32((uint)a[3].AsInt32(), 0) ? Success : Fault),
        new("", "proc_exit", [ValueKind.Int32], [], static (vm, _, _) => vm.HostError("wasi_unstable proc_exit")),
        W("path_open", "iiiiiIIii", static (_, _) => NoEntry),
        W("fd_prestat_get", "ii", static (_, _) => BadFd),
        W("fd_prestat_dir_name", "iii", static (_, _) => NoSys),
        W("path_filestat_get", "iiiii", static (_, _) => NotSupported),
        W("fd_filestat_get", "ii", static (_, _) => BadFd),
    ];

    private delegate int Errno(WasmBinding vm, ReadOnlySpan<ValueBox> arguments);

    /// <summary>A function returning an errno; <paramref name="signature"/> has one letter per parameter, <c>i</c> for
    /// i32 and <c>I</c> for i64. The module name is filled in by <see cref="WasmImports"/>.</summary>
    private static WasmImportSignature W(string name, string signature, Errno body)
    {
        var parameters = new ValueKind[signature.Length];
        for (int i = 0; i < signature.Length; i++)
        {
            parameters[i] = signature[i] == 'I' ? ValueKind.Int64 : ValueKind.Int32;
        }

        return new WasmImportSignature("", name, parameters, [ValueKind.Int32], (vm, a, r) => r[0] = body(vm, a));
    }

    private static bool StdFd(ValueBox fd) => fd.AsInt32() is 1 or 2;

    private static int WriteZeros32(WasmBinding vm, ValueBox first, ValueBox second)
        => vm.TryWrite32((uint)first.AsInt32(), 0) && vm.TryWrite32((uint)second.AsInt32(), 0) ? Success : Fault;

    private static int FdWrite(WasmBinding vm, int fd, uint iovs, uint count, uint writtenSlot)
    {
        if (fd is not (1 or 2))
        {
            return BadFd;
        }

        var text = new List<byte>();
        for (uint i = 0; i < count; i++)
        {
            if (!vm.TryRead(iovs + (i * 8), 8, out ReadOnlySpan<byte> vector))
            {
                return Fault;
            }

            uint buffer = BitConverter.ToUInt32(vector), length = BitConverter.ToUInt32(vector[4..]);
            if (length != 0)
            {
                if (!vm.TryRead(buffer, length, out ReadOnlySpan<byte> bytes))
                {
                    return Fault;
                }

                text.AddRange(bytes.ToArray());
            }
        }

        int written = text.Count;
        if (written != 0)
        {
            if (text[^1] == (byte)'\n')
            {
                text.RemoveAt(text.Count - 1);
            }

            vm.Log(fd == 1 ? LogLevel.Info : LogLevel.Error, text.ToArray());
        }

        return vm.TryWrite32(writtenSlot, (uint)written) ? Success : Fault;
    }

    private static int FdFdstatGet(WasmBinding vm, int fd, uint statSlot)
    {
        if (fd is not (1 or 2))
        {
            return BadFd;
        }

        // A 24-byte fdstat: all zero but fs_rights_base = FD_WRITE (64), as cpp-host writes it.
        Span<byte> stat = stackalloc byte[24];
        stat.Clear();
        stat[8] = 64;
        return vm.TryWrite(statSlot, stat) ? Success : Fault;
    }

    private static int RandomGet(WasmBinding vm, uint buffer, uint length)
    {
        if (length > RandomMaxBytes)
        {
            return Invalid;
        }

        if (length == 0)
        {
            return Success;
        }

        byte[] random = RandomNumberGenerator.GetBytes((int)length);
        return vm.TryWrite(buffer, random) ? Success : Fault;
    }
}
