using System.Text;
using System.Text.RegularExpressions;

namespace ProxyWasm.Generators.Helpers;

/// <summary>A small indented text writer for emitting C#; output uses '\n' line endings on every platform.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length != 0)
        {
            _builder.Append(' ', _indent * 4);
            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    public SourceWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Outdent()
    {
        _indent--;
        return this;
    }

    /// <summary>The text, without blank lines directly before a closing brace.</summary>
    public override string ToString() => Regex.Replace(_builder.ToString(), @"\n\n(?=[ ]*\})", "\n");
}
