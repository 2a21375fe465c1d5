using System.Text;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;

namespace Ingest.Tests.Radio.Contract;

/// <summary>Trackers the contract tests describe to a rig.</summary>
public static class ContractTrackers
{
    public const string H10Address = "C4:7A:10:2B:3C:4D";
    public const string H10Name = "Polar H10 0A1B2C3D";
    public const ushort PolarCompanyId = 0x006B;

    public static readonly Guid HeartRateService = Sig(0x180D);
    public static readonly Guid HeartRateMeasurement = Sig(0x2A37);
    public static readonly Guid PmdService = Guid.Parse("fb005c80-02e7-f387-1cad-8acd2d8df0c8");
    public static readonly Guid PmdControlPoint = Guid.Parse("fb005c81-02e7-f387-1cad-8acd2d8df0c8");
    public static readonly Guid PmdData = Guid.Parse("fb005c82-02e7-f387-1cad-8acd2d8df0c8");
    public static readonly Guid DeviceInformation = Sig(0x180A);
    public static readonly Guid ModelNumber = Sig(0x2A24);
    public static readonly Guid FirmwareRevision = Sig(0x2A26);
    public static readonly Guid BatteryService = Sig(0x180F);
    public static readonly Guid BatteryLevel = Sig(0x2A19);

    public static readonly byte[] ManufacturerBytes = [0x33, 0x1E, 0x00, 0x7F];

    /// <summary>Polar PMD REQUEST_MEASUREMENT_START ECG, 130 Hz, 14 bit (protocols.md §4.8).</summary>
    public static readonly byte[] PmdStartEcg = [0x02, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01, 0x01, 0x0E, 0x00];

    public static Guid Sig(ushort value) => Guid.Parse(BleUuid.FromShort(value));

    /// <summary>A Polar-H10-like chest strap: HR, PMD control point and data, Device Information, Battery.</summary>
    public static BleTrackerDescription PolarH10Like(string address = H10Address, string name = H10Name) => new(
        name,
        address,
        -58,
        PolarCompanyId,
        ManufacturerBytes,
        [HeartRateService],
        [
            new(HeartRateService, [new(HeartRateMeasurement, GattProperties.Notify, [])]),
            new(PmdService,
            [
                new(PmdControlPoint, GattProperties.Read | GattProperties.Write | GattProperties.Notify | GattProperties.Indicate, [0x0F, 0x05, 0x00]),
                new(PmdData, GattProperties.Notify, []),
            ]),
            new(DeviceInformation,
            [
                new(ModelNumber, GattProperties.Read, Encoding.UTF8.GetBytes("Polar H10")),
                new(FirmwareRevision, GattProperties.Read, Encoding.UTF8.GetBytes("3.1.1")),
            ]),
            new(BatteryService, [new(BatteryLevel, GattProperties.Read | GattProperties.Notify, [0x55])]),
        ]);
}
