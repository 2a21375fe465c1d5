using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Protocol;

/// <summary>
/// Property tests on the decoder (the fuzz target is <see cref="DecodeAny"/>): for any input it returns
/// NeedMoreData, decodes, or throws <see cref="MqttProtocolException"/> — never anything else (no
/// IndexOutOfRange, no ArgumentException, no OverflowException), in both protocol versions.
/// </summary>
public sealed class DecoderFuzzTests
{
    private static readonly string[] s_goldenNames = Directory.GetFiles(HexVector.Directory, "*.hex")
        .Select(Path.GetFileNameWithoutExtension).ToArray()!;

    /// <summary>The fuzz target: frames and decodes every packet in <paramref name="input"/>.</summary>
    internal static bool DecodeAny(byte[] input, MqttProtocolVersion version, int maximumPacketSize = 4096)
    {
        try
        {
            var span = input.AsSpan();
            while (true)
            {
                var status = MqttPacketDecoder.TryReadFixedHeader(span, maximumPacketSize, out var header);
                if (status == OperationStatus.NeedMoreData)
                {
                    return true;
                }

                var packet = MqttPacketDecoder.Decode(header, span.Slice(header.HeaderLength, header.RemainingLength), version);
                Assert.NotNull(packet);
                if (packet is MqttAckPacket)
                {
                    MqttPacketDecoder.DecodeAck(span.Slice(header.HeaderLength, header.RemainingLength), version, out _, out _, out _);
                }

                span = span.Slice(header.PacketLength);
            }
        }
        catch (MqttProtocolException)
        {
            return true;
        }
    }

    [Fact]
    public void Decode_RandomBytes_OnlyProtocolExceptionOrNeedMoreData()
    {
        var gen = ArbMap.Default.GeneratorFor<byte[]>();
        Prop.ForAll(gen.ToArbitrary(), bytes => DecodeAny(bytes, MqttProtocolVersion.V500) && DecodeAny(bytes, MqttProtocolVersion.V311))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_RandomBodiesBehindValidHeaders_OnlyProtocolException()
    {
        // Random bodies behind every first byte: reaches each packet decoder instead of failing at the header.
        var gen = from first in Gen.Choose(0, 255)
                  from body in ArbMap.Default.GeneratorFor<byte[]>()
                  select Frame((byte)first, body);
        Prop.ForAll(gen.ToArbitrary(), bytes => DecodeAny(bytes, MqttProtocolVersion.V500) && DecodeAny(bytes, MqttProtocolVersion.V311))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Fact]
    public void Decode_MutatedGoldenVectors_OnlyProtocolException()
    {
        var gen = from index in Gen.Choose(0, s_goldenNames.Length - 1)
                  from position in Gen.Choose(0, 1000)
                  from value in Gen.Choose(0, 255)
                  from mode in Gen.Choose(0, 3)
                  select Mutate(HexVector.Load(s_goldenNames[index]), position, (byte)value, mode);
        Prop.ForAll(gen.ToArbitrary(), bytes => DecodeAny(bytes, MqttProtocolVersion.V500) && DecodeAny(bytes, MqttProtocolVersion.V311))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(20000));
    }

    [Fact]
    public void EncodeDecode_RandomPublish_RoundTrips()
    {
        var gen = from topic in Gen.Elements("a", "hub/1/batch", "ü/ñ/✓", "x/y/z/" + new string('t', 300))
                  from qos in Gen.Choose(0, 2)
                  from id in Gen.Choose(1, 65535)
                  from retain in ArbMap.Default.GeneratorFor<bool>()
                  from payload in ArbMap.Default.GeneratorFor<byte[]>()
                  from contentType in Gen.Elements<string?>(null, "", "application/vnd.apache.arrow.stream")
                  from expiry in Gen.Elements<uint?>(null, 0u, 60u, uint.MaxValue)
                  from userCount in Gen.Choose(0, 3)
                  from v5 in ArbMap.Default.GeneratorFor<bool>()
                  select (topic, qos, id, retain, payload, contentType, expiry, userCount, v5);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var version = t.v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
            MqttProperties? properties = null;
            if (t.v5 && (t.contentType is not null || t.expiry is not null || t.userCount > 0))
            {
                properties = new MqttProperties { ContentType = t.contentType, MessageExpiryInterval = t.expiry };
                for (var i = 0; i < t.userCount; i++)
                {
                    properties.UserProperties.Add(new MqttUserProperty("k" + i, "v" + i));
                }
            }

            var packet = new MqttPublishPacket
            {
                Topic = t.topic,
                QualityOfService = (MqttQualityOfService)t.qos,
                PacketId = t.qos == 0 ? (ushort)0 : (ushort)t.id,
                Retain = t.retain,
                Payload = t.payload,
                Properties = properties,
            };
            var output = new ArrayBufferWriter<byte>();
            MqttPacketEncoder.Encode(output, packet, version);
            var decoded = MqttPacketDecoder.Decode(output.WrittenSpan, version);
            return PacketDescriber.Describe(packet) == PacketDescriber.Describe(decoded);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void VariableByteInteger_AllLengths_RoundTripMinimally()
    {
        Prop.ForAll(Gen.Choose(0, MqttLimits.MaxVariableByteInteger).ToArbitrary(), value =>
        {
            Span<byte> buffer = stackalloc byte[4];
            var written = MqttVariableByteInteger.Write(buffer, value);
            var status = MqttVariableByteInteger.TryRead(buffer[..written], out var read, out var consumed);
            return status == OperationStatus.Done && read == value && consumed == written && written == MqttVariableByteInteger.GetLength(value);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void VariableByteInteger_SpecTable_Encodes(int value, string hex)
    {
        // MQTT 5 §1.5.5 Table 1-1 boundaries.
        Span<byte> buffer = stackalloc byte[4];
        var written = MqttVariableByteInteger.Write(buffer, value);
        Assert.Equal(hex, Convert.ToHexString(buffer[..written]));
    }

    private static byte[] Frame(byte first, byte[] body)
    {
        var output = new byte[5 + body.Length];
        output[0] = first;
        var length = MqttVariableByteInteger.Write(output.AsSpan(1), body.Length);
        body.CopyTo(output, 1 + length);
        return output[..(1 + length + body.Length)];
    }

    private static byte[] Mutate(byte[] bytes, int position, byte value, int mode)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var p = position % bytes.Length;
        switch (mode)
        {
            case 0:
                bytes[p] = value;
                return bytes;
            case 1:
                return bytes[..p];
            case 2:
                return [.. bytes[..p], value, .. bytes[p..]];
            default:
                bytes[p] ^= (byte)(1 << (value & 7));
                return bytes;
        }
    }
}
