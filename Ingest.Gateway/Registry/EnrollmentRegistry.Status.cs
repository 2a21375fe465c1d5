using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Registry;

internal sealed partial class EnrollmentRegistry
{
    /// <summary>
    /// Records what the running service knows about a tracker now (one row per device, replaced on each call): read by
    /// <c>wearable-ingest devices</c>. Meant to be called every few seconds per tracker at most.
    /// </summary>
    /// <param name="device">Device pseudonym.</param>
    /// <param name="connected">Whether it is connected.</param>
    /// <param name="lastDataNs">Hub time (UTC ns since the Unix epoch) of its last sample, or null when none yet.</param>
    /// <param name="batteryPercent">Battery level 0–100, or null when unknown.</param>
    /// <param name="samplesToday">Samples received since midnight UTC (≥ 0).</param>
    /// <param name="completeness">Received ÷ expected samples today, 0–1, or null when not computable.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    /// <exception cref="RegistryException">The database could not be written.</exception>
    public void UpdateDeviceStatus(string device, bool connected, long? lastDataNs, int? batteryPercent, long samplesToday, double? completeness)
    {
        if (!DevicePseudonym.IsValid(device))
        {
            throw new ArgumentException("not a device pseudonym (dev-…)", nameof(device));
        }

        if (lastDataNs is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lastDataNs), lastDataNs, "a hub time is not negative");
        }

        if (batteryPercent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(batteryPercent), batteryPercent, "a battery level is 0–100");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(samplesToday);
        if (completeness is { } c && (double.IsNaN(c) || c < 0 || c > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(completeness), completeness, "completeness is a fraction 0–1");
        }

        Write(transaction =>
        {
            using var upsert = transaction.Connection!.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO device_status (device, connected, last_data_ns, battery_percent, samples_today, completeness, updated_at)
                VALUES ($device, $connected, $last, $battery, $samples, $completeness, $at)
                ON CONFLICT (device) DO UPDATE SET connected = excluded.connected, last_data_ns = excluded.last_data_ns,
                    battery_percent = excluded.battery_percent, samples_today = excluded.samples_today,
                    completeness = excluded.completeness, updated_at = excluded.updated_at
                """;
            upsert.Parameters.AddWithValue("$device", device);
            upsert.Parameters.AddWithValue("$connected", connected ? 1 : 0);
            upsert.Parameters.AddWithValue("$last", lastDataNs is { } last ? last : DBNull.Value);
            upsert.Parameters.AddWithValue("$battery", batteryPercent is { } battery ? battery : DBNull.Value);
            upsert.Parameters.AddWithValue("$samples", samplesToday);
            upsert.Parameters.AddWithValue("$completeness", completeness is { } fraction ? fraction : DBNull.Value);
            upsert.Parameters.AddWithValue("$at", AuditTrail.FormatTime(Now()));
            return upsert.ExecuteNonQuery();
        }, durable: false);
    }

    /// <summary>The status the service last reported for <paramref name="device"/>, or null when it never has.</summary>
    public DeviceStatus? FindDeviceStatus(string device) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT device, connected, last_data_ns, battery_percent, samples_today, completeness, updated_at FROM device_status WHERE device = $device";
        command.Parameters.AddWithValue("$device", device);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadStatus(reader) : null;
    });

    /// <summary>A status row, checked (out-of-range values from a hand edit read as unknown, never as a crash).</summary>
    private static DeviceStatus ReadStatus(SqliteDataReader reader)
    {
        long? Integer(int ordinal) => reader.GetValue(ordinal) is long value ? value : null;
        var battery = Integer(3);
        var completeness = reader.GetValue(5) is double fraction && fraction is >= 0 and <= 1 ? fraction : (double?)null;
        var updated = reader.GetValue(6) is string text ? ParseTime(text) : null;
        return new DeviceStatus(
            reader.GetValue(0) as string ?? "",
            Integer(1) == 1,
            Integer(2) is >= 0 and var last ? last : null,
            battery is >= 0 and <= 100 ? (int)battery.Value : null,
            Math.Max(0, Integer(4) ?? 0),
            completeness,
            updated ?? DateTimeOffset.UnixEpoch);
    }
}
