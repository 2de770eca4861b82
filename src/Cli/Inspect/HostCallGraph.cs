using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ProxyWasm.Cli.Inspect;

/// <summary>
/// The host functions a filter assembly can call, found by walking its IL call graph (System.Reflection.Metadata, no
/// code is run): from the roots (every method of the assembly, or of some of its types) through calls, object
/// creations and delegate creations (<c>ldftn</c>) into ProxyWasm.Runtime and any other assembly next to it, until a
/// call reaches <c>ProxyWasm.Abi.HostCalls.proxy_*</c> or a <c>[DllImport("env")]</c> method, whose name is recorded.
/// The shared framework is not walked (it calls no host function). Static constructors of the types a method touches
/// are walked too. A virtual call is followed to the method its call site names, and to the implementation a
/// <c>constrained.</c> prefix names; an override reached only by virtual dispatch from outside the walked code is not
/// (the filter's own methods are all roots, so this only matters inside the runtime, which dispatches statically).
/// </summary>
internal sealed class HostCallGraph : IDisposable
{
    private const string HostCallsType = "ProxyWasm.Abi.HostCalls";

    private readonly Dictionary<string, Module?> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _directory;
    private readonly string? _runtimeFallback;

    /// <param name="assemblyPath">The filter assembly.</param>
    /// <param name="runtimeFallback">ProxyWasm.Runtime.dll to walk when none is next to the filter (the tool's).</param>
    public HostCallGraph(string assemblyPath, string? runtimeFallback)
    {
        _directory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        _runtimeFallback = runtimeFallback;
        Main = Open(assemblyPath) ?? throw new BadImageFormatException(assemblyPath + " has no metadata.");
        _modules[Main.Name] = Main;
    }

    private Module Main { get; }

    /// <summary>The <c>proxy_*</c> host functions reachable from every method of the filter assembly.</summary>
    public IReadOnlyList<string> FromAssembly()
        => Walk(Main.Reader.MethodDefinitions.Select(h => (Main, h)));

    /// <summary>The <c>proxy_*</c> host functions reachable from the methods of the named types of the filter
    /// assembly and of their nested types (full names as reflection writes them: <c>Namespace.Outer+Inner</c>).</summary>
    public IReadOnlyList<string> FromTypes(IEnumerable<string> fullNames)
    {
        var wanted = fullNames.Select(n => n.Replace('+', '/')).ToHashSet(StringComparer.Ordinal);
        var roots = new List<(Module, MethodDefinitionHandle)>();
        foreach (TypeDefinitionHandle handle in Main.Reader.TypeDefinitions)
        {
            string name = SignatureNames.FullName(Main.Reader, handle);
            if (wanted.Any(w => name == w || name.StartsWith(w + "/", StringComparison.Ordinal)))
            {
                roots.AddRange(Main.Reader.GetTypeDefinition(handle).GetMethods().Select(m => (Main, m)));
            }
        }

        return Walk(roots);
    }

    public void Dispose()
    {
        foreach (Module? module in _modules.Values.Distinct())
        {
            module?.Pe.Dispose();
        }
    }

    private List<string> Walk(IEnumerable<(Module Module, MethodDefinitionHandle Method)> roots)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<(Module, MethodDefinitionHandle)>();
        var work = new Stack<(Module Module, MethodDefinitionHandle Method)>();
        void Push(Module module, MethodDefinitionHandle method)
        {
            if (seen.Add((module, method)))
            {
                work.Push((module, method));
            }
        }

        foreach ((Module module, MethodDefinitionHandle method) in roots)
        {
            Push(module, method);
        }

        while (work.Count != 0)
        {
            (Module module, MethodDefinitionHandle handle) = work.Pop();
            if (HostFunction(module, handle) is { } name)
            {
                found.Add(name);
                continue;
            }

            foreach ((Module target, MethodDefinitionHandle callee) in Callees(module, handle))
            {
                Push(target, callee);
            }
        }

        return found.ToList();
    }

    /// <summary>The host function <paramref name="handle"/> is, or null: a <c>HostCalls.proxy_*</c> method, or an
    /// <c>env</c> import.</summary>
    private static string? HostFunction(Module module, MethodDefinitionHandle handle)
    {
        MetadataReader reader = module.Reader;
        MethodDefinition method = reader.GetMethodDefinition(handle);
        string name = reader.GetString(method.Name);
        if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0)
        {
            MethodImport import = method.GetImport();
            string library = import.Module.IsNil ? string.Empty : reader.GetString(reader.GetModuleReference(import.Module).Name);
            string entry = import.Name.IsNil ? name : reader.GetString(import.Name);
            return library == "env" && entry.StartsWith("proxy_", StringComparison.Ordinal) ? entry : null;
        }

        return name.StartsWith("proxy_", StringComparison.Ordinal) && SignatureNames.FullName(reader, method.GetDeclaringType()) == HostCallsType
            ? name
            : null;
    }

    /// <summary>The methods <paramref name="handle"/>'s body calls, creates delegates of, or runs as static constructors.</summary>
    private IEnumerable<(Module, MethodDefinitionHandle)> Callees(Module module, MethodDefinitionHandle handle)
    {
        MethodDefinition method = module.Reader.GetMethodDefinition(handle);
        if (method.RelativeVirtualAddress == 0)
        {
            yield break;
        }

        BlobReader il = module.Pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        EntityHandle constrained = default;
        while (il.RemainingBytes > 0)
        {
            OpCode? read = OpCodeTable.Read(ref il);
            if (read is not { } code)
            {
                yield break; // Not IL this reader knows: stop rather than misread the rest.
            }

            switch (code.OperandType)
            {
                case OperandType.InlineMethod:
                {
                    var token = MetadataTokens.EntityHandle(il.ReadInt32());
                    if (ResolveMethod(module, token) is { } callee)
                    {
                        yield return callee;
                        if (StaticConstructor(callee.Module, callee.Module.Reader.GetMethodDefinition(callee.Method).GetDeclaringType()) is { } cctor)
                        {
                            yield return cctor;
                        }

                        if (!constrained.IsNil && code == OpCodes.Callvirt && Implementation(module, constrained, callee) is { } implementation)
                        {
                            yield return implementation;
                        }
                    }

                    constrained = default;
                    break;
                }

                case OperandType.InlineField:
                {
                    var token = MetadataTokens.EntityHandle(il.ReadInt32());
                    if ((code == OpCodes.Ldsfld || code == OpCodes.Ldsflda || code == OpCodes.Stsfld) && FieldType(module, token) is { } owner
                        && StaticConstructor(owner.Module, owner.Type) is { } cctor)
                    {
                        yield return cctor;
                    }

                    break;
                }

                case OperandType.InlineType:
                {
                    var token = MetadataTokens.EntityHandle(il.ReadInt32());
                    constrained = code == OpCodes.Constrained ? token : default;
                    break;
                }

                case OperandType.InlineSwitch:
                    il.Offset += 4 * il.ReadInt32();
                    break;

                default:
                    il.Offset += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    private static (Module, MethodDefinitionHandle)? StaticConstructor(Module module, TypeDefinitionHandle type)
    {
        foreach (MethodDefinitionHandle handle in module.Reader.GetTypeDefinition(type).GetMethods())
        {
            if (module.Reader.StringComparer.Equals(module.Reader.GetMethodDefinition(handle).Name, ".cctor"))
            {
                return (module, handle);
            }
        }

        return null;
    }

    /// <summary>The method definition a call token names, in a walked assembly; null for the framework.</summary>
    private (Module Module, MethodDefinitionHandle Method)? ResolveMethod(Module module, EntityHandle token)
    {
        MetadataReader reader = module.Reader;
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition:
                return (module, (MethodDefinitionHandle)token);
            case HandleKind.MethodSpecification:
                return ResolveMethod(module, reader.GetMethodSpecification((MethodSpecificationHandle)token).Method);
            case HandleKind.MemberReference:
                MemberReference reference = reader.GetMemberReference((MemberReferenceHandle)token);
                if (reference.GetKind() != MemberReferenceKind.Method)
                {
                    return null;
                }

                if (reference.Parent.Kind == HandleKind.MethodDefinition)
                {
                    return (module, (MethodDefinitionHandle)reference.Parent);
                }

                if (ResolveType(module, reference.Parent) is not { } owner)
                {
                    return null;
                }

                string signature = SignatureNames.Of(reference.DecodeMethodSignature(SignatureNames.Instance, null));
                return FindMethod(owner.Module, owner.Type, reader.GetString(reference.Name), signature) is { } found ? (owner.Module, found) : null;
            default:
                return null;
        }
    }

    /// <summary>The declaring type of a static field token.</summary>
    private (Module Module, TypeDefinitionHandle Type)? FieldType(Module module, EntityHandle token) => token.Kind switch
    {
        HandleKind.FieldDefinition => (module, module.Reader.GetFieldDefinition((FieldDefinitionHandle)token).GetDeclaringType()),
        HandleKind.MemberReference => ResolveType(module, module.Reader.GetMemberReference((MemberReferenceHandle)token).Parent),
        _ => null,
    };

    /// <summary>The method of the <c>constrained.</c> type that implements <paramref name="callee"/> (same name and
    /// signature, or an explicit implementation <c>Interface.Name</c>).</summary>
    private (Module, MethodDefinitionHandle)? Implementation(Module module, EntityHandle constrained, (Module Module, MethodDefinitionHandle Method) callee)
    {
        if (ResolveType(module, constrained) is not { } type)
        {
            return null;
        }

        MetadataReader calleeReader = callee.Module.Reader;
        MethodDefinition definition = calleeReader.GetMethodDefinition(callee.Method);
        string name = calleeReader.GetString(definition.Name);
        string signature = SignatureNames.Of(definition.DecodeSignature(SignatureNames.Instance, null));
        if (FindMethod(type.Module, type.Type, name, signature) is { } direct)
        {
            return (type.Module, direct);
        }

        foreach (MethodDefinitionHandle handle in type.Module.Reader.GetTypeDefinition(type.Type).GetMethods())
        {
            string candidate = type.Module.Reader.GetString(type.Module.Reader.GetMethodDefinition(handle).Name);
            if (candidate.EndsWith("." + name, StringComparison.Ordinal))
            {
                return (type.Module, handle);
            }
        }

        return null;
    }

    private static MethodDefinitionHandle? FindMethod(Module module, TypeDefinitionHandle type, string name, string signature)
    {
        MethodDefinitionHandle? byName = null;
        int count = 0;
        foreach (MethodDefinitionHandle handle in module.Reader.GetTypeDefinition(type).GetMethods())
        {
            MethodDefinition method = module.Reader.GetMethodDefinition(handle);
            if (!module.Reader.StringComparer.Equals(method.Name, name))
            {
                continue;
            }

            if (SignatureNames.Of(method.DecodeSignature(SignatureNames.Instance, null)) == signature)
            {
                return handle;
            }

            byName = handle;
            count++;
        }

        // A signature that does not decode the same way on both sides (it should not happen): the only overload.
        return count == 1 ? byName : null;
    }

    /// <summary>The type definition a type token names, in a walked assembly; null for the framework.</summary>
    private (Module Module, TypeDefinitionHandle Type)? ResolveType(Module module, EntityHandle token)
    {
        MetadataReader reader = module.Reader;
        switch (token.Kind)
        {
            case HandleKind.TypeDefinition:
                return (module, (TypeDefinitionHandle)token);
            case HandleKind.TypeSpecification:
                // A generic instantiation: GENERICINST (CLASS | VALUETYPE) TypeDefOrRef <args>.
                BlobReader blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)token).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                {
                    return null;
                }

                blob.ReadSignatureTypeCode();
                return ResolveType(module, blob.ReadTypeHandle());
            case HandleKind.TypeReference:
                TypeReference reference = reader.GetTypeReference((TypeReferenceHandle)token);
                string name = reader.GetString(reference.Name);
                switch (reference.ResolutionScope.Kind)
                {
                    case HandleKind.TypeReference:
                        if (ResolveType(module, reference.ResolutionScope) is not { } outer)
                        {
                            return null;
                        }

                        foreach (TypeDefinitionHandle nested in outer.Module.Reader.GetTypeDefinition(outer.Type).GetNestedTypes())
                        {
                            if (outer.Module.Reader.StringComparer.Equals(outer.Module.Reader.GetTypeDefinition(nested).Name, name))
                            {
                                return (outer.Module, nested);
                            }
                        }

                        return null;
                    case HandleKind.AssemblyReference:
                        string assembly = reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name);
                        return Load(assembly) is { } target && target.Types.TryGetValue(SignatureNames.FullName(reader, (TypeReferenceHandle)token), out TypeDefinitionHandle found)
                            ? (target, found)
                            : null;
                    default:
                        return module.Types.TryGetValue(SignatureNames.FullName(reader, (TypeReferenceHandle)token), out TypeDefinitionHandle local) ? (module, local) : null;
                }

            default:
                return null;
        }
    }

    /// <summary>An assembly next to the filter (or, for ProxyWasm.Runtime, the fallback); null for the framework.</summary>
    private Module? Load(string name)
    {
        if (_modules.TryGetValue(name, out Module? module))
        {
            return module;
        }

        string path = Path.Combine(_directory, name + ".dll");
        if (!File.Exists(path) && name == "ProxyWasm.Runtime" && _runtimeFallback is not null)
        {
            path = _runtimeFallback;
        }

        // The shared framework (also when a self-contained build copied it next to the filter) is not walked.
        bool framework = File.Exists(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), name + ".dll"));
        module = File.Exists(path) && !framework ? Open(path) : null;
        _modules[name] = module;
        return module;
    }

    private static Module? Open(string path)
    {
        var pe = new PEReader(File.OpenRead(path));
        if (!pe.HasMetadata)
        {
            pe.Dispose();
            return null;
        }

        MetadataReader reader = pe.GetMetadataReader();
        var types = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            types[SignatureNames.FullName(reader, handle)] = handle;
        }

        string name = reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : Path.GetFileNameWithoutExtension(path);
        return new Module(name, pe, reader, types);
    }

    /// <summary>One assembly's metadata (compared by reference).</summary>
    private sealed class Module(string name, PEReader pe, MetadataReader reader, Dictionary<string, TypeDefinitionHandle> types)
    {
        public string Name { get; } = name;

        public PEReader Pe { get; } = pe;

        public MetadataReader Reader { get; } = reader;

        /// <summary>Type definitions by full name (<c>Namespace.Outer/Inner</c>).</summary>
        public Dictionary<string, TypeDefinitionHandle> Types { get; } = types;
    }
}
