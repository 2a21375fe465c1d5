using System.Diagnostics.CodeAnalysis;

namespace Ingest.Pipeline.Batching;

/// <summary>
/// How <see cref="ArrowBatchEncoder"/> and the Arrow file output encode record batches. Immutable; call
/// <see cref="Validate"/> once where the options enter (configuration, command line).
/// </summary>
public sealed record BatchEncodingOptions
{
    /// <summary>
    /// No compression by default: apache-arrow JS cannot read compressed bodies (batch-format.md promises every Arrow
    /// reader), zstd costs 14–49x the uncompressed encode for 43–59 % fewer bytes at ≥ 1,024-row batches, LZ4 is
    /// dominated by zstd, and small batches gain little or grow (docs/wire/arrow-ipc.md "Compression"; hubs on
    /// metered links whose platform reads with pyarrow, polars or DuckDB should choose zstd).
    /// </summary>
    public const BatchCompression DefaultCompression = BatchCompression.None;

    /// <summary>Lowest zstd level accepted (zstd's fast negative levels are not exposed).</summary>
    public const int MinZstdLevel = 1;

    /// <summary>Highest zstd level accepted (zstd's maximum).</summary>
    public const int MaxZstdLevel = 22;

    /// <summary>The option values <see cref="TryParseCompression"/> accepts, for error messages and help.</summary>
    public const string CompressionNames = "none, lz4, zstd";

    /// <summary>The defaults: uncompressed.</summary>
    public static BatchEncodingOptions Default { get; } = new();

    /// <summary>Body compression of every record batch.</summary>
    public BatchCompression Compression { get; init; } = DefaultCompression;

    /// <summary>
    /// Zstd level (1–22), or null for the codec's default (zstd: 3). Only zstd has levels here; LZ4 frame ignores
    /// Arrow's level, so giving one with LZ4 or no compression is rejected rather than silently ignored.
    /// </summary>
    public int? CompressionLevel { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting and what to change.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentException($"compression {(int)Compression} is not one of {CompressionNames}", nameof(Compression));
        }

        if (CompressionLevel is { } level)
        {
            if (Compression != BatchCompression.Zstd)
            {
                throw new ArgumentException($"a compression level only applies to zstd (compression is {Name(Compression)}); remove the level or choose zstd", nameof(CompressionLevel));
            }

            if (level is < MinZstdLevel or > MaxZstdLevel)
            {
                throw new ArgumentException($"zstd compression level {level} is outside {MinZstdLevel}–{MaxZstdLevel}", nameof(CompressionLevel));
            }
        }
    }

    /// <summary>The configuration name of <paramref name="compression"/> (none, lz4, zstd).</summary>
    public static string Name(BatchCompression compression) => compression switch
    {
        BatchCompression.None => "none",
        BatchCompression.Lz4Frame => "lz4",
        BatchCompression.Zstd => "zstd",
        _ => ((int)compression).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a configuration name (none, lz4, zstd; case-insensitive).</summary>
    public static bool TryParseCompression(string? text, [NotNullWhen(true)] out BatchCompression? compression)
    {
        compression = text?.Trim().ToUpperInvariant() switch
        {
            "NONE" => BatchCompression.None,
            "LZ4" => BatchCompression.Lz4Frame,
            "ZSTD" => BatchCompression.Zstd,
            _ => null,
        };
        return compression is not null;
    }
}
