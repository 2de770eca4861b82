namespace ProxyWasm.Analyzers;

/// <summary>Shared descriptor conventions: one ID prefix, one docs page per ID.</summary>
internal static class DiagnosticHelp
{
    /// <summary>The ID prefix of every ProxyWasm diagnostic: PXW0xxx usage, PXW1xxx hot-path performance, PXW2xxx sandbox.</summary>
    public const string Prefix = "PXW";

    /// <summary>Categories.</summary>
    public const string Usage = "ProxyWasm.Usage";

    /// <summary>Hot-path allocation rules.</summary>
    public const string Performance = "ProxyWasm.Performance";

    /// <summary>Rules for what cannot work inside the proxy's single-threaded wasm sandbox.</summary>
    public const string Sandbox = "ProxyWasm.Sandbox";

    /// <summary>The docs page of <paramref name="id"/>: <c>docs/diagnostics/&lt;ID&gt;.md</c> in the repository.</summary>
    public static string HelpLink(string id) => "https://github.com/proxywasm-generators/ProxyWasm.Generators/blob/main/docs/diagnostics/" + id + ".md";
}
