using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ProxyWasm.Abi;
using ProxyWasm.Analyzers.Sandbox;

namespace ProxyWasm.Analyzers.HotPath;

/// <summary>
/// Reports GC allocations (PXW1001..PXW1020) on the hot path of a Proxy-Wasm filter, and static fields written from it
/// (PXW2009).
/// </summary>
/// <remarks>
/// <para>Hot: methods with a hook attribute whose callback is not <see cref="CallbackRate.PerConfiguration"/> in
/// <see cref="ProxyCallbacks"/> (every stream hook, <c>[OnTick]</c>; not <c>[OnVmStart]</c> or <c>[OnConfigure]</c>), members marked
/// <c>[HotPath]</c>, their lambdas and local functions, and every method of the same compilation they call, transitively.</para>
/// <para>Cost: each method body is scanned once per compilation (operation-block action) into its callees and its
/// potential findings. Findings of a hook or [HotPath] body are reported right away; the call graph is walked once
/// at compilation end to report those of the methods hot code calls.</para>
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HotPathAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        HotPathDescriptors.All.Add(SandboxDescriptors.StaticWrite) is var tagged ? tagged.AddRange(tagged.Select(DiagnosticHelp.Live)) : default;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            HotPathTypes? types = HotPathTypes.TryCreate(start.Compilation);
            if (types is null)
            {
                return;
            }

            var graph = new CallGraph(types);
            start.RegisterOperationBlockAction(graph.AnalyzeBlock);
            start.RegisterCompilationEndAction(graph.ReportCallees);
        });
    }

    /// <summary>What makes a method a starting point of the hot path.</summary>
    private sealed class Root
    {
        public Root(IMethodSymbol method, string? hookKind, HotPathGroup allow, bool isHot, bool isPerStream)
        {
            Method = method;
            HookKind = hookKind;
            Allow = allow;
            IsHot = isHot;
            IsPerStream = isPerStream;
            string member = MemberName(method);
            string qualified = method.ContainingType.Name + "." + member;
            if (hookKind is null)
            {
                Inside = "in [HotPath] " + qualified;
                CalledFrom = "called from [HotPath] " + qualified;
            }
            else
            {
                Inside = "in " + hookKind;
                CalledFrom = "called from " + qualified + (member == hookKind ? string.Empty : " [" + hookKind + "]");
            }

            SortKey = (hookKind is null ? "1" : "0") + qualified;
        }

        public IMethodSymbol Method { get; }

        /// <summary>The hook attribute name without "Attribute" (OnRequestHeaders), or null for [HotPath] only.</summary>
        public string? HookKind { get; }

        public HotPathGroup Allow { get; }

        /// <summary>Hot-path rules apply (false for OnVmStart/OnConfigure without [HotPath]).</summary>
        public bool IsHot { get; }

        /// <summary>PXW2009 applies: stream hooks and [HotPath] members (not the plugin's OnTick).</summary>
        public bool IsPerStream { get; }

        /// <summary>Where a finding in the root's own body is: "in OnRequestHeaders", "in [HotPath] Type.Member".</summary>
        public string Inside { get; }

        /// <summary>"called from Type.Member [Hook]": the end of <see cref="Via"/>.</summary>
        public string CalledFrom { get; }

        public string SortKey { get; }

        /// <summary>Where a finding in a method the root reaches is: "in Helper.Build, called from AuthFilter.OnRequestHeaders".</summary>
        public string Via(IMethodSymbol callee) => "in " + callee.ContainingType.Name + "." + MemberName(callee) + ", " + CalledFrom;

        /// <summary>The member a method body belongs to: the property for an accessor, the type for a constructor.</summary>
        private static string MemberName(IMethodSymbol method) =>
            method.MethodKind is MethodKind.PropertyGet or MethodKind.PropertySet && method.AssociatedSymbol is { } property
                ? property.Name
                : method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name;
    }

    private sealed class MethodFacts
    {
        public MethodFacts(IMethodSymbol[] callees, List<Finding> findings, List<Finding> staticWrites, Root? root)
        {
            Callees = callees;
            Findings = findings;
            StaticWrites = staticWrites;
            Root = root;
        }

        public IMethodSymbol[] Callees { get; }
        public List<Finding> Findings { get; }
        public List<Finding> StaticWrites { get; }
        public Root? Root { get; }
    }

    private sealed class CallGraph
    {
        private readonly HotPathTypes _types;
        private readonly ConcurrentDictionary<IMethodSymbol, MethodFacts> _facts = new(SymbolEqualityComparer.Default);

        /// <summary>Virtual and interface members of this compilation mapped to their overrides/implementations, so a
        /// call through a base or interface reaches the bodies that can run.</summary>
        private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);

        public CallGraph(HotPathTypes types) => _types = types;

        public void AnalyzeBlock(OperationBlockAnalysisContext context)
        {
            if (context.OwningSymbol is not IMethodSymbol owner)
            {
                return;
            }

            owner = MethodScanner.Normalize(owner);
            Root? root = FindRoot(owner);
            var scanner = new MethodScanner(_types);
            scanner.Scan(owner, context.OperationBlocks);
            RecordImplementations(owner);

            if (root is { IsHot: true })
            {
                foreach (Finding finding in scanner.Findings)
                {
                    if ((finding.Group & root.Allow) == 0)
                    {
                        context.ReportDiagnostic(finding.ToDiagnostic(root.Inside, live: true));
                    }
                }

                if (root.IsPerStream)
                {
                    foreach (Finding write in scanner.StaticWrites)
                    {
                        context.ReportDiagnostic(write.ToDiagnostic(root.Inside, live: true));
                    }
                }
            }

            if (root is not null || scanner.Callees.Count > 0 || scanner.Findings.Count > 0 || scanner.StaticWrites.Count > 0)
            {
                _facts[owner] = new MethodFacts(scanner.Callees.ToArray(), scanner.Findings, scanner.StaticWrites, root);
            }
        }

        private void RecordImplementations(IMethodSymbol method)
        {
            if (method.IsStatic || method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.ExplicitInterfaceImplementation))
            {
                return;
            }

            IAssemblySymbol assembly = _types.Compilation.Assembly;
            if (method.OverriddenMethod is { } overridden && SymbolEqualityComparer.Default.Equals(overridden.ContainingAssembly, assembly))
            {
                AddImplementation(overridden, method);
            }

            foreach (IMethodSymbol explicitImpl in method.ExplicitInterfaceImplementations)
            {
                AddImplementation(explicitImpl, method);
            }

            foreach (INamedTypeSymbol iface in method.ContainingType.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(iface.ContainingAssembly, assembly))
                {
                    continue;
                }

                foreach (ISymbol member in iface.GetMembers(method.AssociatedSymbol?.Name ?? method.Name))
                {
                    IMethodSymbol? interfaceMethod = member switch
                    {
                        IMethodSymbol m => m,
                        IPropertySymbol p => method.MethodKind == MethodKind.PropertySet ? p.SetMethod : p.GetMethod,
                        _ => null,
                    };
                    if (interfaceMethod is not null &&
                        SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(interfaceMethod), method))
                    {
                        AddImplementation(interfaceMethod, method);
                    }
                }
            }
        }

        private void AddImplementation(IMethodSymbol member, IMethodSymbol implementation) =>
            _implementations.GetOrAdd(MethodScanner.Normalize(member), _ => new ConcurrentBag<IMethodSymbol>()).Add(implementation);

        private Root? FindRoot(IMethodSymbol method)
        {
            string? hookKind = null;
            HotPathGroup allow = HotPathGroup.None;
            bool hotPath = false;
            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is not { } attributeClass)
                {
                    continue;
                }

                if (HotPathTypes.DerivesFrom(attributeClass.BaseType, _types.HookAttribute))
                {
                    hookKind = attributeClass.Name.EndsWith("Attribute", System.StringComparison.Ordinal)
                        ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length)
                        : attributeClass.Name;
                    allow |= ReadAllow(attribute);
                }
                else if (HotPathTypes.Is(attributeClass, _types.HotPathAttribute))
                {
                    hotPath = true;
                    allow |= ReadAllow(attribute);
                }
            }

            if (!hotPath && method.AssociatedSymbol is IPropertySymbol property)
            {
                foreach (AttributeData attribute in property.GetAttributes())
                {
                    if (HotPathTypes.Is(attribute.AttributeClass, _types.HotPathAttribute))
                    {
                        hotPath = true;
                        allow |= ReadAllow(attribute);
                    }
                }
            }

            if (hookKind is null && !hotPath)
            {
                return null;
            }

            // How often the host calls the hook is its callback's row (ProxyCallbacks); a hook attribute the table does
            // not know yet counts as per-stream, the strictest.
            CallbackRate rate = hookKind is null ? CallbackRate.PerStream : ProxyCallbacks.ForHook(hookKind)?.Rate ?? CallbackRate.PerStream;
            bool isHot = hotPath || rate != CallbackRate.PerConfiguration;
            bool perStream = hotPath || rate == CallbackRate.PerStream;
            return new Root(method, hookKind, allow, isHot, perStream);
        }

        private static HotPathGroup ReadAllow(AttributeData attribute)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "Allow" && argument.Value.Value is int value)
                {
                    return (HotPathGroup)value;
                }
            }

            return HotPathGroup.None;
        }

        /// <summary>Walks the call graph from every hot root and reports the findings of the methods it reaches.</summary>
        public void ReportCallees(CompilationAnalysisContext context)
        {
            var reported = new HashSet<Finding>();
            var visited = new HashSet<(IMethodSymbol, HotPathGroup)>(new VisitComparer());
            var queue = new Queue<(IMethodSymbol Method, HotPathGroup Allow)>();
            foreach (Root root in _facts.Values.Select(f => f.Root).OfType<Root>().Where(r => r.IsHot).OrderBy(r => r.SortKey, System.StringComparer.Ordinal))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                visited.Clear();
                visited.Add((root.Method, root.Allow));
                Enqueue(queue, _facts[root.Method].Callees, root.Allow);
                while (queue.Count > 0)
                {
                    (IMethodSymbol method, HotPathGroup allow) = queue.Dequeue();
                    if (!visited.Add((method, allow)) || !_facts.TryGetValue(method, out MethodFacts? facts))
                    {
                        continue;
                    }

                    string? via = null;

                    if (facts.Root is { IsHot: true } own)
                    {
                        // Its own body was reported with its own Allow, which is a subset of this one.
                        allow |= own.Allow;
                    }
                    else
                    {
                        foreach (Finding finding in facts.Findings)
                        {
                            if ((finding.Group & allow) == 0 && reported.Add(finding))
                            {
                                context.ReportDiagnostic(finding.ToDiagnostic(via ??= root.Via(method)));
                            }
                        }
                    }

                    if (root.IsPerStream && facts.Root is not { IsPerStream: true })
                    {
                        foreach (Finding write in facts.StaticWrites)
                        {
                            if (reported.Add(write))
                            {
                                context.ReportDiagnostic(write.ToDiagnostic(via ??= root.Via(method)));
                            }
                        }
                    }

                    Enqueue(queue, facts.Callees, allow);
                }
            }
        }

        private void Enqueue(Queue<(IMethodSymbol, HotPathGroup)> queue, IMethodSymbol[] callees, HotPathGroup allow)
        {
            foreach (IMethodSymbol callee in callees)
            {
                queue.Enqueue((callee, allow));
                if (_implementations.TryGetValue(callee, out ConcurrentBag<IMethodSymbol>? implementations))
                {
                    foreach (IMethodSymbol implementation in implementations)
                    {
                        queue.Enqueue((implementation, allow));
                    }
                }
            }
        }

        private sealed class VisitComparer : IEqualityComparer<(IMethodSymbol, HotPathGroup)>
        {
            public bool Equals((IMethodSymbol, HotPathGroup) x, (IMethodSymbol, HotPathGroup) y) =>
                x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

            public int GetHashCode((IMethodSymbol, HotPathGroup) obj) =>
                (SymbolEqualityComparer.Default.GetHashCode(obj.Item1) * 397) ^ (int)obj.Item2;
        }
    }
}
