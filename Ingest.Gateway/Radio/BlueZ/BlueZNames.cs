namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>BlueZ's D-Bus names (bluez.git doc/org.bluez.*.rst) and the freedesktop interfaces it uses.</summary>
internal static class BlueZNames
{
    public const string Service = "org.bluez";
    public const string Root = "/";
    public const string ObjectPathPrefix = "/org/bluez/";

    public const string Adapter = "org.bluez.Adapter1";
    public const string Device = "org.bluez.Device1";
    public const string GattService = "org.bluez.GattService1";
    public const string GattCharacteristic = "org.bluez.GattCharacteristic1";

    public const string ObjectManager = "org.freedesktop.DBus.ObjectManager";
    public const string Properties = "org.freedesktop.DBus.Properties";
    public const string Bus = "org.freedesktop.DBus";
    public const string BusPath = "/org/freedesktop/DBus";

    /// <summary>Device1.Disconnected(s name, s message) reason names (BlueZ 5.66+).</summary>
    public const string ReasonTimeout = "org.bluez.Reason.Timeout";
    public const string ReasonRemote = "org.bluez.Reason.Remote";
    public const string ReasonLocal = "org.bluez.Reason.Local";
}
