using System.Text;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// Writes every line with an sd-daemon priority prefix (man sd-daemon(3): <c>&lt;3&gt;</c> error, <c>&lt;4&gt;</c>
/// warning), which journald reads off a service's output stream (SyslogLevelPrefix=yes, the default) and strips; so
/// <c>journalctl -p err -u wearable-ingest</c> shows the hub's errors. Used for the error stream when the output goes to
/// the journal (JOURNAL_STREAM set): there the error stream holds error lines only. Thread-safety: as the wrapped writer
/// (Console.Error is synchronised), with a line's prefix and text written under one lock.
/// </summary>
internal sealed class JournalPriorityWriter : TextWriter
{
    /// <summary>sd-daemon priority of an error (syslog LOG_ERR).</summary>
    public const int Error = 3;

    private readonly TextWriter _inner;
    private readonly string _prefix;
    private readonly Lock _gate = new();
    private bool _atLineStart = true;

    public JournalPriorityWriter(TextWriter inner, int priority)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priority);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, 7);
        _inner = inner;
        _prefix = $"<{priority}>";
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            WriteChar(value);
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            foreach (var c in value)
            {
                WriteChar(c);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            foreach (var c in buffer.AsSpan(index, count))
            {
                WriteChar(c);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            foreach (var c in value ?? string.Empty)
            {
                WriteChar(c);
            }

            foreach (var c in CoreNewLine)
            {
                WriteChar(c);
            }
        }
    }

    public override void Flush() => _inner.Flush();

    private void WriteChar(char value)
    {
        if (_atLineStart && value != '\n')
        {
            _inner.Write(_prefix);
        }

        _inner.Write(value);
        _atLineStart = value == '\n';
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Flush();
        }

        base.Dispose(disposing);
    }
}
