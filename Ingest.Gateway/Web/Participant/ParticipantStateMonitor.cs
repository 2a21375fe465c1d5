using Ingest.Gateway.Radio;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// Keeps the last <see cref="ParticipantStateSnapshot"/> so that <see cref="ParticipantState.Since"/> stays put while a
/// state holds (see <see cref="ParticipantStates.Evaluate"/>). One per reader: the participant page has one, the status
/// reporter another. Thread-safety: <see cref="Observe"/> may be called from any thread.
/// </summary>
internal sealed class ParticipantStateMonitor
{
    private readonly ParticipantOptions _options;
    private readonly Lock _lock = new();
    private ParticipantStateSnapshot? _last;

    public ParticipantStateMonitor(ParticipantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The states now, given the hub now.</summary>
    public ParticipantStateSnapshot Observe(IngestStatus ingest, RadioStatus radio, DateTimeOffset now)
    {
        lock (_lock)
        {
            _last = ParticipantStates.Evaluate(ingest, radio, _options, now, _last);
            return _last;
        }
    }
}
