namespace ProxyWasm.Analyzers.Tests.Harness;

/// <summary>Builds test filters around snippets.</summary>
internal static class Code
{
    public const string Usings =
        "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing ProxyWasm;\n";

    /// <summary>A filter class with <paramref name="members"/>, plus a plugin type.</summary>
    public static string Filter(string members) => Usings + """

        public sealed class TestPlugin
        {
            [OnConfigure]
            public bool OnConfigure(ReadOnlySpan<byte> configuration) => true;
        }

        [HttpFilter("test", Plugin = typeof(TestPlugin))]
        public partial class TestFilter
        {
            private int _count;
            private string _name = "n";
            private readonly List<int> _list = new();
            private IEnumerable<int> _enumerable = new List<int>();

        """ + members + "\n}\n";

    /// <summary>A filter whose OnRequestHeaders hook has <paramref name="body"/>, with <paramref name="members"/> beside it.</summary>
    public static string Hook(string body, string members = "", string attribute = "[OnRequestHeaders]") => Filter(
        "    " + attribute + "\n    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers)\n    {\n" + body +
        "\n        return FilterHeadersStatus.Continue;\n    }\n" + members);
}
