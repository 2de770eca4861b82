using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;

namespace ProxyWasm.Cli.Inspect;

/// <summary>
/// Decodes signatures to comparable strings (<c>ProxyWasm.RequestHeaders</c>, <c>!0</c>, <c>System.Byte*</c>), the
/// same for a definition in one assembly and a reference to it from another: how a call site's member reference is
/// matched with the method it names.
/// </summary>
internal sealed class SignatureNames : ISignatureTypeProvider<string, object?>
{
    public static readonly SignatureNames Instance = new();

    /// <summary>A method signature: generic arity, return type and parameter types.</summary>
    public static string Of(MethodSignature<string> signature)
        => $"{signature.GenericParameterCount}`{signature.ReturnType}({string.Join(",", signature.ParameterTypes)})";

    /// <summary>The full name of a type definition: <c>Namespace.Name</c>, nested types as <c>Outer/Inner</c>.</summary>
    public static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(reader, declaring) + "/" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The full name a type reference names, nested types as <c>Outer/Inner</c>.</summary>
    public static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "/" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr(" + Of(signature) + ")";

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType) => elementType;

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode switch
    {
        PrimitiveTypeCode.IntPtr => "IntPtr",
        PrimitiveTypeCode.UIntPtr => "UIntPtr",
        PrimitiveTypeCode.TypedReference => "TypedReference",
        _ => typeCode.ToString(),
    };

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(reader, handle);

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
}

/// <summary>The operand size of each IL opcode, from <see cref="System.Reflection.Emit.OpCodes"/>.</summary>
internal static class OpCodeTable
{
    private static readonly System.Reflection.Emit.OpCode?[] OneByte = new System.Reflection.Emit.OpCode?[256];
    private static readonly System.Reflection.Emit.OpCode?[] TwoByte = new System.Reflection.Emit.OpCode?[256];

    static OpCodeTable()
    {
        foreach (System.Reflection.Emit.OpCode code in typeof(System.Reflection.Emit.OpCodes).GetFields()
            .Select(f => f.GetValue(null)).OfType<System.Reflection.Emit.OpCode>())
        {
            ushort value = unchecked((ushort)code.Value);
            if (code.Size == 1)
            {
                OneByte[value & 0xFF] = code;
            }
            else
            {
                TwoByte[value & 0xFF] = code;
            }
        }
    }

    /// <summary>Reads one opcode (one byte, or 0xFE and a second byte); null for a byte that is no opcode.</summary>
    public static System.Reflection.Emit.OpCode? Read(ref BlobReader il)
    {
        byte first = il.ReadByte();
        return first == 0xFE ? TwoByte[il.ReadByte()] : OneByte[first];
    }
}
