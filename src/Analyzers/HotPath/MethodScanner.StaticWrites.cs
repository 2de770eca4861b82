using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

// PXW2009: writes to static fields and static properties of this compilation (including fields of a struct held in a
// static). Property references also add their accessors to the call graph here.
internal sealed partial class MethodScanner
{
    private void PropertyReference(IPropertyReferenceOperation property)
    {
        bool write = IsWritten(property);
        bool read = !write || property.Parent is ICompoundAssignmentOperation or IIncrementOrDecrementOperation or ICoalesceAssignmentOperation;
        if (read)
        {
            AddCallee(property.Property.GetMethod);
        }

        if (write)
        {
            AddCallee(property.Property.SetMethod);
            IPropertySymbol p = property.Property;
            if (p.IsStatic && !p.IsIndexer && SymbolEqualityComparer.Default.Equals(p.ContainingAssembly, _types.Compilation.Assembly))
            {
                StaticWrites.Add(new Finding(Sandbox.SandboxDescriptors.StaticWrite, property.Syntax.GetLocation(), new object?[] { p.ContainingType.Name + "." + p.Name }));
            }
        }
    }

    private void FieldReference(IFieldReferenceOperation field)
    {
        if (!IsWritten(field))
        {
            return;
        }

        // A write to a field of a struct stored in a static field changes the static too.
        for (IOperation? target = field; target is IFieldReferenceOperation reference; target = reference.Instance)
        {
            IFieldSymbol symbol = reference.Field;
            if (symbol.IsStatic && !symbol.IsConst)
            {
                StaticWrites.Add(new Finding(Sandbox.SandboxDescriptors.StaticWrite, field.Syntax.GetLocation(), new object?[] { symbol.ContainingType.Name + "." + symbol.Name }));
                return;
            }

            if (symbol.Type.IsReferenceType)
            {
                return;
            }
        }
    }

    private static bool IsWritten(IOperation operation)
    {
        IOperation? parent = operation.Parent;
        if (parent is ITupleOperation && parent.Parent is IDeconstructionAssignmentOperation deconstruction)
        {
            return deconstruction.Target == parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == operation,
            IIncrementOrDecrementOperation increment => increment.Target == operation,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            _ => false,
        };
    }
}
