using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Simulation.Radio;
using Ingest.Tests.Radio.Contract;

namespace Ingest.Tests.Radio.Simulated;

/// <summary>The BLE central contract, run against the simulated radio.</summary>
public sealed class SimulatedCentralContractTests : BleCentralContract
{
    protected override Task<IBleTestRig> CreateRigAsync() => Task.FromResult<IBleTestRig>(new SimulatedTestRig());
}

/// <summary>The contract's world made with the simulated radio's test hooks: a radio without a fleet, trackers as neighbours.</summary>
internal sealed class SimulatedTestRig : IBleTestRig
{
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private SimulatedCentral? _central;

    private SimulatedCentral Central => _central ?? throw new InvalidOperationException("CreateCentralAsync first");

    public Task<IBleCentral> CreateCentralAsync(CancellationToken cancellationToken)
    {
        _central = new SimulatedCentral([], new SimulatedCentralOptions());
        return Task.FromResult<IBleCentral>(_central);
    }

    public async Task AddTrackerAsync(BleTrackerDescription tracker, CancellationToken cancellationToken)
    {
        var description = new SimulatedPeripheralDescription(
            tracker.Name,
            tracker.Address,
            tracker.Rssi,
            tracker.AdvertisedServices,
            new Dictionary<ushort, byte[]> { [tracker.ManufacturerId] = tracker.ManufacturerData },
            [.. tracker.Services.Select(s => new SimulatedService(s.Uuid, [.. s.Characteristics.Select(c => new SimulatedCharacteristic(c.Uuid, c.Properties, c.InitialValue))]))]);
        _ids[tracker.Address] = await Central.AddNeighbourAsync(description, cancellationToken: cancellationToken);
    }

    public Task NotifyAsync(string address, Guid characteristic, byte[] value, CancellationToken cancellationToken) =>
        Central.NotifyAsync(_ids[address], characteristic, value, cancellationToken);

    public Task DropLinkAsync(string address, DisconnectReason reason, CancellationToken cancellationToken) =>
        Central.DropLinkAsync(_ids[address], reason, cancellationToken);

    public Task SetAdapterPoweredAsync(bool powered, CancellationToken cancellationToken) =>
        Central.SetPoweredAsync(Central.Adapters[0].Id, powered, cancellationToken);

    public Task RemoveTrackerAsync(string address, CancellationToken cancellationToken) =>
        Central.RemovePeripheralAsync(_ids[address], cancellationToken);

    public Task InjectErrorAsync(BleTestOperation operation, BleErrorKind kind, CancellationToken cancellationToken)
    {
        Central.InjectError(Enum.Parse<SimulatedOperation>(operation.ToString()), kind);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<byte[]>> WritesAsync(string address, Guid characteristic, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<byte[]>>([.. Central.Writes(_ids[address]).Where(w => w.Characteristic == characteristic).Select(w => w.Value)]);

    public ValueTask DisposeAsync() => default;
}
