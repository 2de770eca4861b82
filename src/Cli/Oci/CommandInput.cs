using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using ProxyWasm.Cli.Output;

namespace ProxyWasm.Cli.Oci;

/// <summary>
/// Option handling shared by the two commands. Their options are declared with arity zero-or-one and their unmatched
/// tokens are not parse errors, so that every command-line mistake reaches the action and is reported by it as one
/// line with exit code 2 (System.CommandLine's own parse errors print the help and exit 1).
/// </summary>
internal static class CommandInput
{
    /// <summary>A string option that the action validates itself.</summary>
    public static Option<string> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>A repeatable string option (<c>--selector a=b --selector c=d</c>).</summary>
    public static Option<string[]> Repeated(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };

    /// <summary>The positional file argument (validated by the action, so that a missing one exits 2 with one line).</summary>
    public static Argument<string> File(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>Runs <paramref name="body"/> and turns a <see cref="CliException"/> or an I/O error into one stderr line.</summary>
    public static int Run(ParseResult parse, Func<TextWriter, TextWriter, int> body)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            if (parse.UnmatchedTokens.Count > 0)
            {
                string token = parse.UnmatchedTokens[0];
                throw CliException.Usage(token.StartsWith('-')
                    ? $"unknown option '{token}' (see --help)"
                    : $"unexpected argument '{token}' (see --help)");
            }

            if (parse.Errors.Count > 0)
            {
                throw CliException.Usage(parse.Errors[0].Message);
            }

            return body(output, error);
        }
        catch (CliException failure)
        {
            error.WriteLine("proxywasm: " + failure.Message);
            return failure.ExitCode;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine("proxywasm: " + exception.Message);
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The value of <paramref name="option"/>, or null when it is absent; present without a value is an error.</summary>
    public static string? Optional(ParseResult parse, Option<string> option)
    {
        if (parse.GetResult(option) is null)
        {
            return null;
        }

        string? value = parse.GetValue(option);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw CliException.Usage($"{option.Name} needs a value");
        }

        return value;
    }

    /// <summary>The value of a required option.</summary>
    public static string Required(ParseResult parse, Option<string> option, string example) =>
        Optional(parse, option) ?? throw CliException.Usage($"{option.Name} is required ({option.Name} {example})");

    /// <summary>The values of a repeatable option, in command-line order.</summary>
    public static IReadOnlyList<string> All(ParseResult parse, Option<string[]> option) =>
        parse.GetValue(option) ?? Array.Empty<string>();

    /// <summary>The full path of an input file that must exist.</summary>
    public static string ExistingFile(ParseResult parse, Argument<string> argument, string what)
    {
        string? path = parse.GetValue(argument);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw CliException.Usage($"missing {argument.Name}: the {what} to read (see --help)");
        }

        return ExistingFile(path, what);
    }

    /// <summary>The full path of <paramref name="path"/>, which must be an existing file.</summary>
    public static string ExistingFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw CliException.Usage($"{path}: is a directory, not the {what}");
        }

        if (!System.IO.File.Exists(path))
        {
            throw CliException.Usage($"{path}: no such file (the {what})");
        }

        return Path.GetFullPath(path);
    }

    /// <summary>One of <paramref name="allowed"/>, compared without case; returns the spelling from the list.</summary>
    public static string OneOf(string value, string optionName, params string[] allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
        ?? throw CliException.Usage($"{optionName} '{value}' is not one of {string.Join(", ", allowed)}");
}
