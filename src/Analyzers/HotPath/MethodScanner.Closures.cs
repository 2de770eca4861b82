using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ProxyWasm.Analyzers.HotPath;

// Lambdas and local functions: PXW1006 (capturing lambdas), PXW1019 (async lambdas), and the capture analysis that
// Scan uses for PXW1007 on local functions converted to delegates.
internal sealed partial class MethodScanner
{
    private void Lambda(IAnonymousFunctionOperation lambda)
    {
        if (lambda.Symbol.IsAsync)
        {
            AddFunctionFinding(HotPathDescriptors.Async, lambda.Symbol, lambda.Syntax is AnonymousFunctionExpressionSyntax { AsyncKeyword.RawKind: not 0 } a ? a.AsyncKeyword.GetLocation() : lambda.Syntax.GetLocation());
        }

        List<string> captures = Captures(lambda, lambda.Symbol);
        if (captures.Count > 0)
        {
            Location location = lambda.Syntax switch
            {
                LambdaExpressionSyntax l => l.ArrowToken.GetLocation(),
                AnonymousMethodExpressionSyntax m => m.DelegateKeyword.GetLocation(),
                _ => lambda.Syntax.GetLocation(),
            };
            Findings.Add(new Finding(HotPathDescriptors.CapturingLambda, location, new object?[] { string.Join(", ", captures.Select(c => "'" + c + "'")) }));
        }
    }

    /// <summary>Names of the locals, parameters and 'this' a lambda or local function uses from outside itself.</summary>
    private static List<string> Captures(IOperation function, IMethodSymbol symbol)
    {
        var names = new List<string>();
        var stack = new Stack<IOperation>();
        stack.Push(function);
        while (stack.Count > 0)
        {
            IOperation op = stack.Pop();
            string? name = op switch
            {
                ILocalReferenceOperation local when !IsWithin(local.Local.ContainingSymbol, symbol) => local.Local.Name,
                IParameterReferenceOperation parameter when !IsWithin(parameter.Parameter.ContainingSymbol, symbol) => parameter.Parameter.Name,
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => "this",
                _ => null,
            };
            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }

            foreach (IOperation child in op.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return names;
    }

    private static bool IsWithin(ISymbol? symbol, IMethodSymbol function)
    {
        for (ISymbol? s = symbol; s is IMethodSymbol; s = s.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(s, function))
            {
                return true;
            }
        }

        return false;
    }
}
