using System.Globalization;
using System.Threading.Channels;
using Ingest.Pipeline.Batching;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The embedded destination when no broker is configured: each batch becomes one Arrow IPC stream file,
/// <c>{outbox}/{participant}/{stream key}/{sequence:D12}.arrows</c>, with exactly the bytes that would have been
/// published. A file is written to a temporary name, fdatasync'd, renamed into place and its folder synced before the
/// batch counts as accepted, so a crash leaves either the whole file or none; writing the same batch again (after a
/// restart from the spool) rewrites identical bytes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class OutboxPublisher : IBatchPublisher
{
    /// <summary>File extension: Arrow's registered one for the IPC stream format.</summary>
    public const string Extension = ".arrows";

    private readonly string _directory;
    private readonly Channel<BatchIdentity> _receipts = Channel.CreateBounded<BatchIdentity>(1);

    /// <summary>Writes under <paramref name="directory"/> (created when missing).</summary>
    public OutboxPublisher(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <inheritdoc />
    public string Destination => "outbox " + _directory;

    /// <inheritdoc />
    public string State => "local";

    /// <inheritdoc />
    public long Reconnects => 0;

    /// <inheritdoc />
    public ChannelReader<BatchIdentity> Receipts => _receipts.Reader;

    /// <summary>The file a batch is written to.</summary>
    public string PathOf(StreamOrigin origin, BatchIdentity identity) => Path.Combine(_directory, origin.Participant, identity.Stream,
        identity.Sequence.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <inheritdoc />
    public ValueTask<BatchPublishResult> PublishAsync(OutgoingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var path = PathOf(batch.Origin, batch.Identity);
        try
        {
            // New folders are synced into their parents up to the outbox before the file counts as written.
            DurableFile.Write(_directory, path, batch.Payload);
            return new(BatchPublishResult.Accepted);
        }
        catch (IOException ex)
        {
            // A full or failing disk: the batch stays in the spool and is written again later.
            return new(new BatchPublishResult(BatchPublishOutcome.Transient, $"cannot write {path}: {ex.Message}"));
        }
        catch (UnauthorizedAccessException ex)
        {
            return new(new BatchPublishResult(BatchPublishOutcome.Refused, $"cannot write {path}: {ex.Message}"));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => default;
}
