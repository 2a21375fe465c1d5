using System.Text.Json;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Service;

/// <summary>
/// Keeps every notification a decoder rejected, with its raw bytes, stream and reason, as JSON lines in
/// <c>quarantine/frames.jsonl</c> beside the spool: evidence to reproduce a decoder bug or a firmware change, never
/// published (it is not data, and a raw frame may carry more than the decoded columns do). Bounded: past
/// <see cref="MaxBytes"/> frames are only counted. Called on the decode loop; writes are buffered and flushed by
/// <see cref="Flush"/> (at each sweep).
/// </summary>
internal sealed class FrameQuarantine : IDisposable
{
    /// <summary>Most bytes the file may grow to; a tracker sending garbage at full rate must not fill the card.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly Lock _lock = new();

    public FrameQuarantine(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, "frames.jsonl");
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 16 * 1024);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Frames not written because the file reached <see cref="MaxBytes"/>.</summary>
    public long Dropped { get; private set; }

    /// <summary>A sink for one stream's decoder.</summary>
    public IRejectedFrameSink For(string streamKey) => new Sink(this, streamKey);

    /// <summary>Writes buffered lines to the file.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _json.Flush();
            _file.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _json.Dispose();
            _file.Dispose();
        }
    }

    private void Add(string streamKey, RejectedFrame frame)
    {
        lock (_lock)
        {
            if (_file.Length + _json.BytesPending > MaxBytes)
            {
                Dropped++;
                return;
            }

            _json.Reset();
            _json.WriteStartObject();
            _json.WriteString("stream", streamKey);
            _json.WriteString("hub_time", CaptureReader.FormatTime(frame.HubTimeNs));
            _json.WriteString("reason", frame.Reason.ToString());
            _json.WriteString("detail", frame.Detail);
            _json.WriteNumber("length", frame.OriginalLength);
            _json.WriteString("hex", Convert.ToHexStringLower(frame.Raw));
            _json.WriteEndObject();
            _json.Flush();
            _file.WriteByte((byte)'\n');
        }
    }

    private sealed class Sink(FrameQuarantine owner, string streamKey) : IRejectedFrameSink
    {
        public void Add(RejectedFrame frame) => owner.Add(streamKey, frame);
    }
}
