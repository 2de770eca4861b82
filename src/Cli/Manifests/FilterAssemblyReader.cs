using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ProxyWasm.Cli.Oci;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Manifests;

/// <summary>The kind of a filter: what its attribute was.</summary>
internal enum FilterKind
{
    /// <summary><c>[HttpFilter]</c>: Envoy's <c>envoy.filters.http.wasm</c>, Istio <c>type: HTTP</c>.</summary>
    Http,

    /// <summary><c>[NetworkFilter]</c>: Envoy's <c>envoy.filters.network.wasm</c>, Istio <c>type: NETWORK</c>.</summary>
    Network,
}

/// <summary>One filter of an assembly, as its <c>[HttpFilter]</c> or <c>[NetworkFilter]</c> attribute declares it.</summary>
/// <param name="RootId">The root id (the attribute's constructor argument).</param>
/// <param name="Kind">HTTP or network.</param>
/// <param name="TypeName">The filter type's full name (nested types with <c>+</c>).</param>
/// <param name="OnError">The <c>OnError</c> named argument: 0 FailClosed (also when absent), 1 FailOpen.</param>
/// <param name="Plugin">The <c>Plugin</c> type's name, if set.</param>
/// <param name="Configuration">The <c>Configuration</c> type's name, if set.</param>
internal sealed record FilterInfo(string RootId, FilterKind Kind, string TypeName, int OnError, string? Plugin, string? Configuration)
{
    /// <summary>Whether <c>OnError = FailurePolicy.FailOpen</c>.</summary>
    public bool FailOpen => OnError == 1;
}

/// <summary>
/// Reads the filters of a filter assembly from its metadata (System.Reflection.Metadata), without loading it: every
/// type definition's custom attributes whose constructor belongs to <c>ProxyWasm.HttpFilterAttribute</c> or
/// <c>ProxyWasm.NetworkFilterAttribute</c>, with the attribute blob decoded (ECMA-335 II.23.3: the string constructor
/// argument, then the named arguments <c>OnError</c> as an int32 enum and <c>Plugin</c>/<c>Configuration</c> as
/// serialized type names).
/// </summary>
internal static class FilterAssemblyReader
{
    /// <summary>The filters in <paramref name="path"/>, in metadata order.</summary>
    /// <exception cref="CliException">The file is not a .NET assembly.</exception>
    public static IReadOnlyList<FilterInfo> Read(string path)
    {
        string name = Path.GetFileName(path);
        try
        {
            using FileStream stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw CliException.BadInput($"{name}: not a .NET assembly (a PE file without CLI metadata); give the filter project's build output, e.g. bin/Release/net10.0/MyFilter.dll");
            }

            return Read(pe.GetMetadataReader());
        }
        catch (BadImageFormatException exception)
        {
            throw CliException.BadInput($"{name}: not a .NET assembly ({exception.Message.TrimEnd('.')}); give the filter project's build output, e.g. bin/Release/net10.0/MyFilter.dll");
        }
    }

    private static IReadOnlyList<FilterInfo> Read(MetadataReader metadata)
    {
        var filters = new List<FilterInfo>();
        var provider = new TypeNameProvider();
        foreach (TypeDefinitionHandle handle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(handle);
            foreach (CustomAttributeHandle attributeHandle in type.GetCustomAttributes())
            {
                CustomAttribute attribute = metadata.GetCustomAttribute(attributeHandle);
                FilterKind? kind = AttributeTypeName(metadata, attribute) switch
                {
                    "ProxyWasm.HttpFilterAttribute" => FilterKind.Http,
                    "ProxyWasm.NetworkFilterAttribute" => FilterKind.Network,
                    _ => null,
                };
                if (kind is null)
                {
                    continue;
                }

                CustomAttributeValue<string> value = attribute.DecodeValue(provider);
                if (value.FixedArguments.Length != 1 || value.FixedArguments[0].Value is not string rootId)
                {
                    continue;
                }

                int onError = 0;
                string? plugin = null;
                string? configuration = null;
                foreach (CustomAttributeNamedArgument<string> named in value.NamedArguments)
                {
                    switch (named.Name)
                    {
                        case "OnError" when named.Value is int policy:
                            onError = policy;
                            break;
                        case "Plugin":
                            plugin = named.Value as string;
                            break;
                        case "Configuration":
                            configuration = named.Value as string;
                            break;
                    }
                }

                filters.Add(new FilterInfo(rootId, kind.Value, FullName(metadata, handle), onError, TypeNameProvider.Simplify(plugin), TypeNameProvider.Simplify(configuration)));
            }
        }

        return filters;
    }

    /// <summary>The full name of the attribute's type, from its constructor (a member reference into
    /// ProxyWasm.Runtime, or a method definition when the attribute is defined in the assembly itself).</summary>
    private static string? AttributeTypeName(MetadataReader metadata, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                EntityHandle parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                if (parent.Kind == HandleKind.TypeReference)
                {
                    TypeReference reference = metadata.GetTypeReference((TypeReferenceHandle)parent);
                    return metadata.GetString(reference.Namespace) + "." + metadata.GetString(reference.Name);
                }

                return parent.Kind == HandleKind.TypeDefinition ? FullName(metadata, (TypeDefinitionHandle)parent) : null;
            case HandleKind.MethodDefinition:
                return FullName(metadata, metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType());
            default:
                return null;
        }
    }

    private static string FullName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        TypeDefinition type = metadata.GetTypeDefinition(handle);
        string name = metadata.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(metadata, declaring) + "+" + name;
        }

        string ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Decodes attribute argument types as names; every enum is taken as int32 (FailurePolicy is).</summary>
    private sealed class TypeNameProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference reference = reader.GetTypeReference(handle);
            return reader.GetString(reference.Namespace) + "." + reader.GetString(reference.Name);
        }

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type is "System.Type" or "[System.Runtime]System.Type";

        /// <summary>A serialized type name without its assembly part (<c>A.B, Asm, Version=…</c> → <c>A.B</c>).</summary>
        public static string? Simplify(string? serialized)
        {
            if (serialized is null)
            {
                return null;
            }

            int depth = 0;
            for (int i = 0; i < serialized.Length; i++)
            {
                switch (serialized[i])
                {
                    case '[':
                        depth++;
                        break;
                    case ']':
                        depth--;
                        break;
                    case ',' when depth == 0:
                        return serialized[..i].Trim();
                }
            }

            return serialized;
        }
    }
}
