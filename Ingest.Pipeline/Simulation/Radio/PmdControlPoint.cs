namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>
/// What a Polar sensor's PMD control point does with a command (protocols.md §4.8): START (<c>02 &lt;type&gt; …</c>)
/// starts a measurement type that the feature read lists, STOP (<c>03 &lt;type&gt;</c>) stops it; the answer is
/// <c>F0 &lt;opcode&gt; &lt;type&gt; &lt;status&gt; 00</c> (no parameters, no continuation).
/// </summary>
internal static class PmdControlPoint
{
    private const byte ResponseCode = 0xF0;
    private const byte Start = 0x02;
    private const byte Stop = 0x03;
    private const byte TypeMask = 0x3F;

    // Status codes (PmdControlPointResponse in the Polar SDK).
    private const byte Success = 0;
    private const byte InvalidOpCode = 1;
    private const byte NotSupported = 3;
    private const byte InvalidLength = 4;
    private const byte AlreadyInState = 6;
    private const byte InvalidState = 12;

    /// <summary>Applies <paramref name="command"/> to <paramref name="peripheral"/>'s started types (under the central's lock); returns the answer.</summary>
    public static byte[] Answer(SimulatedPeripheral peripheral, ReadOnlySpan<byte> features, ReadOnlySpan<byte> command)
    {
        if (command.IsEmpty)
        {
            return [ResponseCode, 0, 0, InvalidLength, 0];
        }

        var opcode = command[0];
        if (opcode is not (Start or Stop))
        {
            return [ResponseCode, opcode, 0, InvalidOpCode, 0];
        }

        if (command.Length < 2)
        {
            return [ResponseCode, opcode, 0, InvalidLength, 0];
        }

        var type = (byte)(command[1] & TypeMask);
        var bit = 1UL << type;
        var supported = features.Length >= 3 && ((features[1] | ((ulong)features[2] << 8)) & bit) != 0;
        byte status;
        if (!supported)
        {
            status = NotSupported;
        }
        else if (opcode == Start)
        {
            status = (peripheral.PmdStarted & bit) != 0 ? AlreadyInState : Success;
            peripheral.PmdStarted |= bit;
        }
        else
        {
            status = (peripheral.PmdStarted & bit) == 0 ? InvalidState : Success;
            peripheral.PmdStarted &= ~bit;
        }

        return [ResponseCode, opcode, type, status, 0];
    }
}
