using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ProxyWasm.Generators.Tests.Infrastructure;

/// <summary>Source with <c>[|...|]</c> markers around the spans where diagnostics are expected.</summary>
internal static class Markup
{
    /// <summary>The source without markers, and the marked spans in order of appearance.</summary>
    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var spans = new List<TextSpan>();
        int start = -1;
        for (int i = 0; i < markup.Length; i++)
        {
            if (string.CompareOrdinal(markup, i, "[|", 0, 2) == 0)
            {
                start = source.Length;
                i++;
            }
            else if (string.CompareOrdinal(markup, i, "|]", 0, 2) == 0 && start >= 0)
            {
                spans.Add(TextSpan.FromBounds(start, source.Length));
                start = -1;
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        return (source.ToString(), spans);
    }
}
