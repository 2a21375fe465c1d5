namespace Ingest.Pipeline.Profiles;

/// <summary>Limits a profile folder is checked against before it is used (profiles are files anyone may edit).</summary>
public static class ProfileLimits
{
    /// <summary>Largest profile.json read.</summary>
    public const int MaxProfileBytes = 1 << 20;

    /// <summary>Deepest JSON nesting read (a profile is four levels deep; decoder settings add a few).</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Most streams in one profile (a tracker exposes a handful of notifying characteristics).</summary>
    public const int MaxStreams = 64;

    /// <summary>Most value columns per stream.</summary>
    public const int MaxColumns = 256;

    /// <summary>Most frame types one Polar PMD stream declares (the SDK defines at most a dozen per measurement).</summary>
    public const int MaxPmdFrameTypes = 16;

    /// <summary>Longest column name a profile may give (Parquet and Arrow take any, people read them).</summary>
    public const int MaxColumnNameChars = 64;

    /// <summary>Most setup writes per stream.</summary>
    public const int MaxSetupWrites = 16;

    /// <summary>Most captures per stream.</summary>
    public const int MaxCaptures = 32;

    /// <summary>Largest capture or expected file read (a long recording is a few MB of hex).</summary>
    public const long MaxCaptureFileBytes = 64L << 20;

    /// <summary>Longest capture line accepted: a 512-byte frame as spaced hex plus a timestamp.</summary>
    public const int MaxCaptureLineChars = 4096;

    /// <summary>Longest pattern in a match rule.</summary>
    public const int MaxPatternChars = 256;

    /// <summary>Time a match-rule pattern may run on one name before it is abandoned.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(50);
}
