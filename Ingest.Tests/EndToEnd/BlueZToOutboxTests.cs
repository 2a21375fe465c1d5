using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Ingest.Tests.Radio.Mock;
using Ingest.Tests.Support;
using GatewayProcess = Ingest.Tests.Gateway.Gateway;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// The whole hub on its real radio path: a nurse enrolls a Polar H10 with the CLI, `wearable-ingest run` (no
/// --simulate) finds it through BlueZ (python-dbusmock on a private bus), sets it up, and its heart-rate notifications
/// become Arrow batches in the outbox under the participant's pseudonym; a dropped link becomes a gap row; the
/// neighbour's strap is never touched; and the radio address, name and serial appear nowhere that leaves the hub.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class BlueZToOutboxTests
{
    private const string Address = "A0:9E:1A:0A:1B:2C";
    private const string NeighbourAddress = "A0:9E:1A:99:88:77";

    [Fact]
    public async Task EnrolledH10_ThroughBlueZ_LandsInTheOutboxUnderItsPseudonyms_WithAGapForTheDrop_AndNoAddressAnywhere()
    {
        await using var mock = await BlueZMock.StartAsync();
        var adapter = await mock.AddAdapterAsync();
        var strap = await mock.AddPolarH10Async(adapter, Address);
        var neighbour = await mock.AddPolarH10Async(adapter, NeighbourAddress, "Polar H10 99887766", rssi: -40);
        using var data = new TemporaryDirectory("bluez-e2e");

        var (enrolled, enrollOutput) = await GatewayProcess.RunAsync(["enroll", "--address", Address, "--participant", "P-0001", "--profile", "polar-h10",
            "--study", "demo", "--site", "site-1", "--reason", "onboarding at the clinic", "--actor", "nurse-e2e", "--data-dir", data.Path]);
        Assert.True(enrolled == 0, enrollOutput);
        var device = DevicePattern().Match(enrollOutput).Value;
        Assert.StartsWith("dev-", device, StringComparison.Ordinal);

        var environment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = mock.Address };
        using var hub = GatewayProcess.Start(["run", "--data-dir", data.Path, "--batch-age", "200ms"], environment);
        await hub.WaitForOutputAsync($"radio: tracker {device} connected", TimeSpan.FromSeconds(30));
        await WaitForStartWritesAsync(mock, strap, 2);

        for (byte bpm = 60; bpm < 70; bpm++)
        {
            await mock.NotifyAsync(strap, BlueZMock.HeartRateMeasurement, [0x00, bpm]);
        }

        await mock.DisconnectAsync(strap, "org.bluez.Reason.Timeout");
        await hub.WaitForOutputAsync($"radio: tracker {device} disconnected (link lost", TimeSpan.FromSeconds(10));
        await WaitForStartWritesAsync(mock, strap, 4);
        for (byte bpm = 70; bpm < 75; bpm++)
        {
            await mock.NotifyAsync(strap, BlueZMock.HeartRateMeasurement, [0x00, bpm]);
        }

        // A frame cut short (flags say a 16-bit heart rate; one byte follows): quarantined, and audited at stop.
        await mock.NotifyAsync(strap, BlueZMock.HeartRateMeasurement, [0x01, 0x50]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await hub.SignalAsync(15);
        var exit = await hub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, hub.Output);

        // Every heart rate sent, exactly once, in the participant's folder under the device pseudonym's stream.
        var outbox = Path.Combine(data.Path, "outbox");
        var heartRates = ReadColumn(Directory.GetFiles(Path.Combine(outbox, "P-0001", device + ".hr"), "*.arrows"), "heart_rate");
        Assert.Equal(Enumerable.Range(60, 15).Select(static b => (long)b), heartRates.Order());

        // The drop is a gap row, reason 1 (disconnected).
        var reasons = ReadColumn(Directory.GetFiles(Path.Combine(outbox, "P-0001", device + ".gaps"), "*.arrows"), "reason");
        Assert.Contains(1L, reasons);

        // The neighbour was never set up; the audit trail verifies and names the nurse.
        Assert.Empty(await mock.WritesAsync(neighbour, BlueZMock.PmdControl));
        var (verified, verifyOutput) = await GatewayProcess.RunAsync(["audit", "verify", "--data-dir", data.Path]);
        Assert.True(verified == 0, verifyOutput);
        var (listed, trail) = await GatewayProcess.RunAsync(["audit", "list", "--data-dir", data.Path]);
        Assert.True(listed == 0, trail);
        Assert.Contains("nurse-e2e", trail, StringComparison.Ordinal);
        foreach (var action in (string[])["enroll", "config-change", "admission-refused", "quarantine"])
        {
            Assert.Contains(action, trail, StringComparison.Ordinal);
        }

        string[] auditSecrets = [Address, NeighbourAddress, "0A1B2C3D"];
        Assert.All(auditSecrets, secret => Assert.DoesNotContain(secret, trail, StringComparison.OrdinalIgnoreCase));

        // Nothing that leaves the hub carries the address, the name or its serial: not the output, not a file name,
        // not a byte of the outbox or the spool (the registry in state/ is the one place that knows the address).
        string[] secrets = [Address, Address.Replace(':', '_'), Address.Replace(":", "", StringComparison.Ordinal), "0A1B2C3D", NeighbourAddress, "99887766"];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, hub.Output, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var file in Directory.GetFiles(outbox, "*", SearchOption.AllDirectories).Concat(Directory.GetFiles(Path.Combine(data.Path, "spool"), "*", SearchOption.AllDirectories)))
        {
            var bytes = File.ReadAllBytes(file);
            var text = Encoding.Latin1.GetString(bytes);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, file, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static async Task WaitForStartWritesAsync(BlueZMock mock, string strap, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await mock.WritesAsync(strap, BlueZMock.PmdControl)).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} PMD START writes reached the strap");
            await Task.Delay(50);
        }
    }

    private static List<long> ReadColumn(string[] files, string column)
    {
        var values = new List<long>();
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            using var reader = new ArrowStreamReader(stream);
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    var array = batch.Column(column);
                    for (var i = 0; i < batch.Length; i++)
                    {
                        values.Add(array switch
                        {
                            UInt8Array a => a.GetValue(i) ?? -1,
                            UInt16Array a => a.GetValue(i) ?? -1,
                            _ => throw new InvalidOperationException($"{column} is {array.GetType().Name}"),
                        });
                    }
                }
            }
        }

        return values;
    }

    [GeneratedRegex("dev-[a-z0-9]+")]
    private static partial Regex DevicePattern();
}
