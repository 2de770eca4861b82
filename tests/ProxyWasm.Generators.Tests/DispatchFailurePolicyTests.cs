using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxyWasm.Abi;
using ProxyWasm.Generators.Tests.Infrastructure;
using Xunit;

namespace ProxyWasm.Generators.Tests;

/// <summary>
/// Issue 13, finding 8: an exception in an export's dispatch path (outside the hook's own try) follows the filter's
/// failure policy instead of failing open; and every hook status passes <c>HookFailures.Settle</c> (finding 1). Checked
/// on the syntax of every stream status export of the generated modules, for fail-closed and fail-open filters.
/// </summary>
public sealed class DispatchFailurePolicyTests
{
    public static TheoryData<string> Cases() => new() { "AllStreamHooks", "FailOpen", "TwoFilters", "NetworkFilter", "MixedModule", "Callouts" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_status_export_catches_into_the_streams_failure_policy_and_settles_the_hooks_status(string name)
    {
        GeneratorRun run = TestCompilation.Run(TestCompilation.Create(FilterCases.Get(name).Sources));
        string module = run.Files.Single(f => f.HintName == "ProxyWasmModule.g.cs").Text;
        CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(module).GetCompilationUnitRoot();

        MethodDeclarationSyntax[] exports = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => Export(m) is { } export && ProxyCallbacks.ForExport(export) is { StatusType: not null })
            .ToArray();
        Assert.NotEmpty(exports);
        foreach (MethodDeclarationSyntax method in exports)
        {
            string export = Export(method)!;
            ProxyCallback callback = ProxyCallbacks.ForExport(export)!;
            CatchClauseSyntax handler = Assert.Single(method.DescendantNodes().OfType<CatchClauseSyntax>());
            string caught = handler.Block.ToString();
            Assert.True(caught.Contains("HookFailures.FailStream(exception", System.StringComparison.Ordinal) && caught.Contains("stream.OnError", System.StringComparison.Ordinal),
                $"{export}: the catch must apply the stream's failure policy, not a fixed result:\n{caught}");
            Assert.Contains($"{callback.StatusType}.{callback.Failure}", caught, System.StringComparison.Ordinal);

            TryStatementSyntax attempt = Assert.Single(method.DescendantNodes().OfType<TryStatementSyntax>());
            string[] glueCalls = attempt.Block.DescendantNodes().OfType<ReturnStatementSyntax>()
                .Select(r => r.Expression!.ToString())
                .Where(e => e.Contains("ProxyWasmGlue.", System.StringComparison.Ordinal))
                .ToArray();
            Assert.NotEmpty(glueCalls);
            Assert.All(glueCalls, call => Assert.StartsWith("(uint)HookFailures.Settle(", call, System.StringComparison.Ordinal));
            Assert.Contains("HookFailures.Unserved(Contexts", attempt.Block.ToString(), System.StringComparison.Ordinal);
        }
    }

    private static string? Export(MethodDeclarationSyntax method) => method.AttributeLists.SelectMany(l => l.Attributes)
        .Where(a => a.Name.ToString() == "UnmanagedCallersOnly")
        .SelectMany(a => a.ArgumentList?.Arguments ?? default)
        .Select(a => a.Expression)
        .OfType<LiteralExpressionSyntax>()
        .Select(l => l.Token.ValueText)
        .FirstOrDefault();
}
