using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>
/// BlueZ's D-Bus error names (bluez.git doc/org.bluez.*.rst "Possible errors") mapped to <see cref="BleErrorKind"/>.
/// Messages name the operation and BlueZ's error, never an object path: BlueZ's device paths contain the radio address.
/// </summary>
internal static class BlueZErrors
{
    /// <summary>The kind for a D-Bus error name.</summary>
    public static BleErrorKind KindOf(string? errorName) => errorName switch
    {
        "org.bluez.Error.InProgress" => BleErrorKind.InProgress,
        "org.bluez.Error.NotReady" => BleErrorKind.NotReady,
        "org.bluez.Error.NotPermitted" or "org.bluez.Error.NotAuthorized" => BleErrorKind.NotPermitted,
        "org.bluez.Error.NotConnected" => BleErrorKind.NotConnected,
        "org.bluez.Error.AlreadyConnected" or "org.bluez.Error.AlreadyExists" => BleErrorKind.AlreadyDone,
        "org.bluez.Error.NotSupported" => BleErrorKind.NotSupported,
        "org.bluez.Error.DoesNotExist"
            or "org.freedesktop.DBus.Error.UnknownObject"
            or "org.freedesktop.DBus.Error.UnknownMethod"
            or "org.freedesktop.DBus.Error.UnknownInterface"
            or "org.freedesktop.DBus.Error.ServiceUnknown"
            or "org.freedesktop.DBus.Error.NameHasNoOwner" => BleErrorKind.Gone,
        "org.freedesktop.DBus.Error.NoReply" or "org.freedesktop.DBus.Error.Timeout" => BleErrorKind.Timeout,
        "org.bluez.Error.AuthenticationFailed"
            or "org.bluez.Error.AuthenticationCanceled"
            or "org.bluez.Error.AuthenticationRejected"
            or "org.bluez.Error.AuthenticationTimeout"
            or "org.bluez.Error.ConnectionAttemptFailed" => BleErrorKind.ConnectFailed,
        _ => BleErrorKind.Failed,
    };

    /// <summary>Wraps what a call threw; anything that is not a bus failure is rethrown by the caller.</summary>
    public static BleOperationException? Translate(Exception exception, string operation) => exception switch
    {
        DBusErrorReplyException reply => new BleOperationException(KindOf(reply.ErrorName),
            $"BlueZ {operation} failed: {reply.ErrorName}: {reply.ErrorMessage}", reply),
        DBusConnectionClosedException closed => new BleOperationException(BleErrorKind.Gone,
            $"BlueZ {operation} failed: the D-Bus connection closed ({closed.Message})", closed),
        DBusConnectionException connection => new BleOperationException(BleErrorKind.Gone,
            $"BlueZ {operation} failed: D-Bus connection error ({connection.Message})", connection),
        DBusReadException read => new BleOperationException(BleErrorKind.Failed,
            $"BlueZ {operation} failed: the reply did not have the documented shape ({read.Message})", read),
        DBusUnexpectedValueException unexpected => new BleOperationException(BleErrorKind.Failed,
            $"BlueZ {operation} failed: the reply did not have the documented shape ({unexpected.Message})", unexpected),
        TimeoutException timeout => new BleOperationException(BleErrorKind.Timeout,
            $"BlueZ {operation} got no reply in time", timeout),
        _ => null,
    };

    /// <summary>Device1.Disconnected's reason name as a <see cref="DisconnectReason"/>.</summary>
    public static DisconnectReason ReasonOf(string? reasonName) => reasonName switch
    {
        BlueZNames.ReasonTimeout => DisconnectReason.LinkLoss,
        BlueZNames.ReasonRemote => DisconnectReason.RemoteTerminated,
        BlueZNames.ReasonLocal => DisconnectReason.LocalTerminated,
        _ => DisconnectReason.None,
    };
}
