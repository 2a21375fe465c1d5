using System.CommandLine;
using Ingest.Pipeline.Batching;

namespace Ingest.Gateway.Cli;

/// <summary>The <c>--compression none|lz4|zstd</c> option of the commands that write Arrow (run, decode --format arrow).</summary>
internal static class CompressionOption
{
    public static Option<string> Create() => new("--compression")
    {
        Description = $"Arrow record batch body compression: {BatchEncodingOptions.CompressionNames} " +
            $"(default {BatchEncodingOptions.Name(BatchEncodingOptions.DefaultCompression)}; apache-arrow JS cannot read compressed bodies)",
        DefaultValueFactory = _ => BatchEncodingOptions.Name(BatchEncodingOptions.DefaultCompression),
    };

    /// <summary>The options for <paramref name="value"/>, or a <see cref="CliException"/> naming the bad value.</summary>
    public static BatchEncodingOptions Parse(string? value)
    {
        if (!BatchEncodingOptions.TryParseCompression(value, out var compression))
        {
            throw new CliException($"--compression '{value}' is not one of {BatchEncodingOptions.CompressionNames}");
        }

        var options = new BatchEncodingOptions { Compression = compression.Value };
        options.Validate();
        return options;
    }
}
