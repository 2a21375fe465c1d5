namespace Ingest.Pipeline.Intake;

/// <summary>
/// Why a link went down, in the terms BlueZ reports (the HCI disconnect reasons it maps to
/// <c>org.bluez.Device1.Disconnected</c>). Values are stable: they are recorded in gap records.
/// </summary>
public enum DisconnectReason
{
    /// <summary>Not a disconnect, or the reason is not known.</summary>
    None = 0,

    /// <summary>Link supervision timeout: the tracker went out of range or its radio stopped (HCI 0x08).</summary>
    LinkLoss = 1,

    /// <summary>The tracker ended the link (HCI 0x13, remote user terminated): switched off, strap taken off.</summary>
    RemoteTerminated = 2,

    /// <summary>The hub ended the link (HCI 0x16).</summary>
    LocalTerminated = 3,
}
