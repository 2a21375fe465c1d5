using System.Buffers.Binary;
using System.Numerics;

namespace Ingest.Pipeline.Spool;

/// <summary>
/// CRC-32C (Castagnoli, iSCSI; RFC 3720 appendix B.4) through <see cref="BitOperations.Crc32C(uint, ulong)"/>, which
/// uses the CPU's CRC instructions (ARMv8 CRC32, SSE4.2) when present and a table otherwise.
/// </summary>
internal static class SpoolCrc
{
    /// <summary>The standard CRC-32C of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>Continues a running (not yet inverted) CRC-32C register over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
