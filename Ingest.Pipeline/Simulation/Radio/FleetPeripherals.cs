using System.Globalization;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>
/// What a fleet tracker looks like on the radio, built from its firmware profile so that the profile's match rules
/// accept it: a local name from the name pattern, the advertised services, manufacturer data under the profile's
/// company id, a random static address, and a GATT table with every stream (notify), every setup write's
/// characteristic (write), Device Information (0x180A: model 0x2A24, firmware revision 0x2A26) and Battery (0x180F).
/// Deterministic for (seed, tracker index).
/// </summary>
internal static class FleetPeripherals
{
    /// <summary>Polar PMD control point (protocols.md §4.8).</summary>
    public static readonly Guid PmdControlPoint = Guid.Parse("fb005c81-02e7-f387-1cad-8acd2d8df0c8");

    /// <summary>Polar PMD data.</summary>
    public static readonly Guid PmdData = Guid.Parse("fb005c82-02e7-f387-1cad-8acd2d8df0c8");

    public static readonly Guid DeviceInformation = Sig(0x180A);
    public static readonly Guid ModelNumber = Sig(0x2A24);
    public static readonly Guid FirmwareRevision = Sig(0x2A26);
    public static readonly Guid BatteryService = Sig(0x180F);
    public static readonly Guid BatteryLevel = Sig(0x2A19);

    // Separates the identity stream (address, name, manufacturer bytes) from the radio's other random streams.
    private const ulong IdentitySalt = 0x4944_454E_5449_5459;

    // Firmware revisions tried against a profile's firmwareRevisionPattern before generating one.
    private static readonly string[] s_firmwareCandidates = ["1.14.0", "3.1.1", "2.0.0", "1.0.0", "5.0.0", "0.1.0"];

    public static Guid Sig(ushort value) => Guid.Parse(BleUuid.FromShort(value));

    /// <summary>A random static address (Core 5.4 Vol 6 Part B 1.3.2.1: the two top bits are 1), upper case.</summary>
    public static string RandomStaticAddress(ref SimRandom random)
    {
        var value = random.NextUInt64();
        Span<byte> bytes = stackalloc byte[6];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(value >> (8 * i));
        }

        bytes[0] |= 0xC0;
        return string.Create(17, bytes.ToArray(), static (span, b) =>
        {
            for (var i = 0; i < 6; i++)
            {
                b[i].TryFormat(span[(i * 3)..], out _, "X2", CultureInfo.InvariantCulture);
                if (i < 5)
                {
                    span[(i * 3) + 2] = ':';
                }
            }
        });
    }

    /// <exception cref="ArgumentException">The profile's name, model or firmware pattern admits no string this can make.</exception>
    public static SimulatedPeripheralDescription Describe(FirmwareProfile profile, ulong seed, int index)
    {
        var random = new SimRandom(SimRandom.Hash(seed ^ IdentitySalt, index));
        var address = RandomStaticAddress(ref random);
        var match = profile.Match;

        var name = match.LocalNamePattern is null
            ? profile.Name
            : PatternExample.Find(match.LocalNamePattern, [], ref random)
              ?? throw Unmatched(profile, "localNamePattern", match.LocalNamePattern.ToString());
        var model = match.ModelNumberPattern is null
            ? profile.Name
            : PatternExample.Find(match.ModelNumberPattern, [profile.Name, profile.Id], ref random)
              ?? throw Unmatched(profile, "modelNumberPattern", match.ModelNumberPattern.ToString());
        var firmware = match.FirmwareRevisionPattern is null
            ? "1.0.0"
            : PatternExample.Find(match.FirmwareRevisionPattern, s_firmwareCandidates, ref random)
              ?? throw Unmatched(profile, "firmwareRevisionPattern", match.FirmwareRevisionPattern.ToString());

        var advertised = new List<Guid>();
        foreach (var uuid in match.AdvertisedServices)
        {
            advertised.Add(Guid.Parse(uuid));
        }

        var manufacturer = new Dictionary<ushort, byte[]>();
        if (match.ManufacturerId is { } company)
        {
            var bytes = new byte[4];
            var value = random.NextUInt64();
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(value >> (8 * i));
            }

            manufacturer[(ushort)company] = bytes;
        }

        var table = new GattTableBuilder();
        ulong pmdFeatures = 0;
        foreach (var stream in profile.Streams)
        {
            var service = Guid.Parse(stream.Service);
            var characteristic = Guid.Parse(stream.Characteristic);
            var readable = characteristic == BatteryLevel ? GattProperties.Read : GattProperties.None;
            table.Add(service, characteristic, GattProperties.Notify | readable, characteristic == BatteryLevel ? [(byte)random.Next(60, 100)] : []);
            if (stream.Decoder.Name == PolarPmdDecoder.Name)
            {
                pmdFeatures |= 1UL << (int)PolarPmdSettings.Parse(stream.Settings).Measurement;
            }

            foreach (var write in stream.Setup)
            {
                var target = Guid.Parse(write.Characteristic);
                var properties = target == PmdControlPoint
                    ? GattProperties.Read | GattProperties.Write | GattProperties.Notify | GattProperties.Indicate
                    : GattProperties.Write;
                table.Add(service, target, properties, []);
            }
        }

        if (pmdFeatures != 0)
        {
            // Feature read (protocols.md §4.8): byte 0 ignored (0x0F on sensors), then one bit per measurement type.
            table.SetValue(PmdControlPoint, [0x0F, (byte)pmdFeatures, (byte)(pmdFeatures >> 8)]);
        }

        table.Add(DeviceInformation, ModelNumber, GattProperties.Read, System.Text.Encoding.UTF8.GetBytes(model));
        table.Add(DeviceInformation, FirmwareRevision, GattProperties.Read, System.Text.Encoding.UTF8.GetBytes(firmware));
        table.Add(BatteryService, BatteryLevel, GattProperties.Read | GattProperties.Notify, [(byte)random.Next(60, 100)]);

        // Trackers sit 1–4 m from the hub: typical RSSI −50…−80 dBm.
        var rssi = (short)random.Next(-80, -50);
        return new SimulatedPeripheralDescription(name, address, rssi, advertised, manufacturer, table.Build());
    }

    private static ArgumentException Unmatched(FirmwareProfile profile, string rule, string pattern) =>
        new($"profile '{profile.Id}' has {rule} '{pattern}', for which the simulated radio cannot make a matching value; use a simpler pattern (literals, [A-F0-9] classes, {{n}})", nameof(profile));

    /// <summary>Services and characteristics in first-mention order, each characteristic once per service.</summary>
    private sealed class GattTableBuilder
    {
        private readonly List<(Guid Service, List<SimulatedCharacteristic> Characteristics)> _services = [];

        public void Add(Guid service, Guid characteristic, GattProperties properties, byte[] value)
        {
            var entry = _services.Find(s => s.Service == service);
            if (entry.Characteristics is null)
            {
                entry = (service, []);
                _services.Add(entry);
            }

            var existing = entry.Characteristics.FindIndex(c => c.Uuid == characteristic);
            if (existing < 0)
            {
                entry.Characteristics.Add(new SimulatedCharacteristic(characteristic, properties, value));
            }
            else
            {
                var old = entry.Characteristics[existing];
                entry.Characteristics[existing] = old with { Properties = old.Properties | properties, Value = old.Value.Length > 0 ? old.Value : value };
            }
        }

        public void SetValue(Guid characteristic, byte[] value)
        {
            foreach (var (_, characteristics) in _services)
            {
                var i = characteristics.FindIndex(c => c.Uuid == characteristic);
                if (i >= 0)
                {
                    characteristics[i] = characteristics[i] with { Value = value };
                }
            }
        }

        public List<SimulatedService> Build()
        {
            var services = new List<SimulatedService>(_services.Count);
            foreach (var (service, characteristics) in _services)
            {
                services.Add(new SimulatedService(service, characteristics));
            }

            return services;
        }
    }
}
