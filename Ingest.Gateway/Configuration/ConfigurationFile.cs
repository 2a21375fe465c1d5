using System.Text.Json;
using Ingest.Gateway.Cli;

namespace Ingest.Gateway.Configuration;

/// <summary>
/// Reads the JSON configuration file within named limits and checks that it is a JSON object, so a wrong file (a
/// capture, a log, a binary) is refused with one line saying where it went wrong, before it is read whole or handed to
/// the configuration builder.
/// </summary>
internal static class ConfigurationFile
{
    /// <summary>
    /// Largest configuration file: 1 MiB. Every key in docs/configuration.md fits in a few kB; a larger file is not a
    /// configuration, and reading at most this much keeps a wrong one (a capture, /dev/zero) from filling the memory.
    /// </summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>
    /// Deepest nesting of objects and arrays: 8. The deepest key is three levels below the root object
    /// (<c>{"Broker": {"PinSha256": ["…"]}}</c>); anything much deeper is not a configuration.
    /// </summary>
    public const int MaxDepth = 8;

    // UTF-8 byte order mark, which editors on Windows put at the start; JSON parsers reading bytes do not skip it.
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Reads <paramref name="path"/> (named <paramref name="source"/> in messages: "from --config") and returns its bytes
    /// once they parse as one JSON object within <see cref="MaxBytes"/> and <see cref="MaxDepth"/>.
    /// </summary>
    /// <exception cref="CliException">The file is missing, a folder, unreadable, too large, or not a JSON object.</exception>
    public static byte[] Read(string path, string source)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException($"the configuration file is empty ({source}); give the path of a JSON file, or leave it out");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliException($"the configuration file path contains a NUL character ({source}); give a plain path");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"configuration file '{path}' ({source}) is a folder; give the JSON file itself, e.g. {Path.Combine(path, GatewayConfiguration.DefaultFileName)}");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"configuration file '{path}' does not exist ({source}); check the path or leave it out");
        }

        var bytes = ReadBounded(path, source);
        Validate(path, source, bytes);
        return bytes;
    }

    private static byte[] ReadBounded(string path, string source)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            // One byte more than the limit tells "exactly at the limit" from "over it" without reading further.
            var buffer = new byte[MaxBytes + 1];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > MaxBytes)
            {
                throw new CliException($"configuration file '{path}' ({source}) is larger than {ValueText.Size(MaxBytes)}; a configuration is a few kB of JSON (docs/configuration.md): check that this is the right file");
            }

            var start = buffer.AsSpan(0, read).StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
            return buffer[start..read];
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"configuration file '{path}' ({source}) cannot be read by this user; check its permissions");
        }
        catch (IOException ex)
        {
            throw new CliException($"configuration file '{path}' ({source}) cannot be read: {ex.Message}");
        }
    }

    private static void Validate(string path, string source, byte[] bytes)
    {
        // The options Microsoft.Extensions.Configuration.Json parses with (comments and trailing commas allowed), plus the depth limit.
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth };
        JsonValueKind kind;
        try
        {
            using var document = JsonDocument.Parse(bytes, options);
            kind = document.RootElement.ValueKind;
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            throw new CliException($"configuration file '{path}' ({source}) is not valid JSON{where}: {Reason(ex)}; fix it (an example: deploy/wearable-ingest.json, keys in docs/configuration.md)");
        }

        if (kind != JsonValueKind.Object)
        {
            throw new CliException($"configuration file '{path}' ({source}) holds a JSON {kind.ToString().ToLowerInvariant()}, not an object; write the keys inside {{ … }} (an example: deploy/wearable-ingest.json)");
        }
    }

    /// <summary>The parser's reason without its position suffix, and never a raw control character from the file.</summary>
    private static string Reason(JsonException ex)
    {
        var message = ex.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position >= 0)
        {
            message = message[..position];
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"objects and arrays nest deeper than {MaxDepth} levels (keys are at most three deep)";
        }

        var clean = new System.Text.StringBuilder(message.Length);
        foreach (var c in message)
        {
            clean.Append(char.IsControl(c) ? '?' : c);
        }

        return clean.ToString().TrimEnd('.', ' ');
    }
}
