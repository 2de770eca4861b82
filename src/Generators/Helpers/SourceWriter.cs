using System;
using System.Text;

namespace ProxyWasm.Generators.Helpers;

/// <summary>
/// An indented writer for emitting C#, in the manner of ComputeSharp's <c>IndentedTextWriter.WriteBlock()</c>:
/// <c>using (w.Block("if (x)")) { ... }</c> writes the braces and the indentation. Blank lines are requested with
/// <see cref="Blank"/> and written only between two lines of the same block, so the output never has a blank line
/// after an opening or before a closing brace. Lines end with '\n' on every platform.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;
    private bool _blankPending;
    private bool _atBlockStart = true;

    /// <summary>Writes one line at the current indentation.</summary>
    public SourceWriter Line(string text)
    {
        if (_blankPending && !_atBlockStart)
        {
            _builder.Append('\n');
        }

        _blankPending = false;
        _atBlockStart = false;
        _builder.Append(' ', _indent * 4).Append(text).Append('\n');
        return this;
    }

    /// <summary>Asks for a blank line before the next line of this block.</summary>
    public SourceWriter Blank()
    {
        _blankPending = true;
        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes the block.</summary>
    public Scope Block(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        _indent++;
        _atBlockStart = true;
        return new Scope(this, closing);
    }

    /// <summary>Writes the following lines one level deeper (a <c>case</c> body); disposing the result steps back.</summary>
    public Scope Indented()
    {
        _indent++;
        return new Scope(this, null);
    }

    private void Close(string? closing)
    {
        _indent--;
        _blankPending = false;
        if (closing is not null)
        {
            Line(closing);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => _builder.ToString();

    /// <summary>An open block or indentation level.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string? _closing;

        public Scope(SourceWriter writer, string? closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose() => _writer.Close(_closing);
    }
}
