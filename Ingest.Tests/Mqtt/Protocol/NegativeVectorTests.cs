using System.Buffers;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Protocol;

/// <summary>
/// Malformed and protocol-violating packets (TestData/Mqtt/negative): each must raise
/// <see cref="MqttProtocolException"/> with the reason code the connection is closed with.
/// The first comment line says "expect 0xNN v5|v311".
/// </summary>
public sealed class NegativeVectorTests
{
    public static TheoryData<string> Names => new(Directory.GetFiles(Path.Combine(HexVector.Directory, "negative"), "*.hex")
        .Select(f => "negative/" + Path.GetFileNameWithoutExtension(f)).Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void Decode_NegativeVector_ThrowsWithReasonCode(string name)
    {
        var bytes = HexVector.Load(name, out var comments);
        var expectation = comments[0].Split(' ');
        Assert.Equal("expect", expectation[0]);
        var reason = (MqttReasonCode)Convert.ToByte(expectation[1], 16);
        var version = expectation[2] == "v311" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;

        var exception = Assert.Throws<MqttProtocolException>(() => Decode(bytes, version));
        Assert.Equal(reason, exception.ReasonCode);
    }

    [Fact]
    public void Decode_TooManyUserProperties_ThrowsBeforeGrowingWithoutBound()
    {
        // DISCONNECT with MaxUserProperties + 1 pairs of empty strings (5 bytes each).
        var count = MqttLimits.MaxUserProperties + 1;
        var properties = new byte[count * 5];
        for (var i = 0; i < count; i++)
        {
            properties[i * 5] = 0x26;
        }

        var body = new ArrayBufferWriter<byte>();
        body.Write([(byte)0x00]);
        Span<byte> vbi = stackalloc byte[4];
        body.Write(vbi[..MqttVariableByteInteger.Write(vbi, properties.Length)]);
        body.Write(properties);
        var header = new MqttFixedHeader(MqttPacketType.Disconnect, 0, body.WrittenCount, 0);
        var exception = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.Decode(header, body.WrittenSpan, MqttProtocolVersion.V500));
        Assert.Equal(MqttReasonCode.ImplementationSpecificError, exception.ReasonCode);
    }

    [Fact]
    public void MqttProtocolException_CarriesOffsetAndHex()
    {
        var exception = Assert.Throws<MqttProtocolException>(() => Decode(HexVector.Load("negative/puback-unknown-property"), MqttProtocolVersion.V500));
        Assert.Equal(4, exception.Offset);
        Assert.StartsWith("7F", exception.HexExcerpt, StringComparison.Ordinal);
    }

    private static void Decode(byte[] bytes, MqttProtocolVersion version)
    {
        var status = MqttPacketDecoder.TryReadFixedHeader(bytes, MqttLimits.DefaultMaximumIncomingPacketSize, out var header);
        Assert.Equal(OperationStatus.Done, status);
        MqttPacketDecoder.Decode(header, bytes.AsSpan(header.HeaderLength, header.RemainingLength), version);
    }
}
