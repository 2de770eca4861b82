using System;
using System.Globalization;
using FsCheck;
using Microsoft.FSharp.Core;

namespace ProxyWasm.Runtime.Tests.Support;

/// <summary>
/// Runs FsCheck properties from plain xunit facts (there is no FsCheck.Xunit package here).
/// </summary>
/// <remarks>
/// <para>Every run starts from a fixed replay seed, so the suite is deterministic: the same inputs are tried on
/// every machine and a failure reproduces by simply re-running the test.</para>
/// <para>To explore other inputs, or to replay what FsCheck printed for a failure ("Falsifiable, after N tests
/// (seed,gamma)" or "Replay directly at failing step with (seed,gamma,size)"), set the environment variable
/// <c>PROXYWASM_FSCHECK_REPLAY</c> to <c>seed,gamma</c> or <c>seed,gamma,size</c> (decimal, gamma odd), e.g.
/// <c>PROXYWASM_FSCHECK_REPLAY=12345,67891 dotnet test tests/ProxyWasm.Runtime.Tests</c>. The number of cases per
/// property can be raised with <c>PROXYWASM_FSCHECK_MAXTEST</c>.</para>
/// </remarks>
internal static class PropertyRunner
{
    /// <summary>The fixed default seed (seed, gamma). Gamma must be odd.</summary>
    public const ulong DefaultSeed = 0x5EED_0F_9A1125UL;
    public const ulong DefaultGamma = 0x9E37_79B9_7F4A_7C15UL;

    public const string ReplayVariable = "PROXYWASM_FSCHECK_REPLAY";
    public const string MaxTestVariable = "PROXYWASM_FSCHECK_MAXTEST";

    public static Config Config(int maxTest)
    {
        (ulong seed, ulong gamma, int? size) = Seed();
        string? maxOverride = Environment.GetEnvironmentVariable(MaxTestVariable);
        if (int.TryParse(maxOverride, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
        {
            maxTest = parsed;
        }

        return FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, gamma), size is int s ? FSharpOption<int>.Some(s) : FSharpOption<int>.None)));
    }

    /// <summary>Checks <paramref name="property"/> with the seeded configuration; throws on a counterexample.</summary>
    public static void Check(string name, Property property, int maxTest = 500)
        => FsCheck.Check.One(name, Config(maxTest), property);

    private static (ulong Seed, ulong Gamma, int? Size) Seed()
    {
        string? text = Environment.GetEnvironmentVariable(ReplayVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (DefaultSeed, DefaultGamma, null);
        }

        string[] parts = text.Trim().Trim('(', ')').Split(',', StringSplitOptions.TrimEntries);
        int size = 0;
        if (parts.Length is < 2 or > 3
            || !ulong.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong seed)
            || !ulong.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong gamma)
            || gamma % 2 == 0
            || (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out size)))
        {
            throw new InvalidOperationException($"{ReplayVariable} must be 'seed,gamma' or 'seed,gamma,size' (decimal, gamma odd), got '{text}'.");
        }

        return (seed, gamma, parts.Length == 3 ? size : null);
    }
}
