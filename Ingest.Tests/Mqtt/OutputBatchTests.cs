using System.Net;
using System.Net.Sockets;
using Ingest.Mqtt.Internal;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// The writer's batch over a real loopback socket: owned bytes and borrowed payloads interleaved, split into gathered
/// sends of bounded size and segment count, must arrive byte for byte and in order, also when the kernel takes only part
/// of a send (small socket buffers and a slow reader force partial and asynchronous sends).
/// </summary>
public sealed class OutputBatchTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteToAsync_InterleavedOwnedAndBorrowed_ArrivesInOrder(bool slowReader)
    {
        var (writer, reader) = ConnectedPair(slowReader ? 16 * 1024 : 0);
        using (writer)
        using (reader)
        {
            using var batch = new OutputBatch();
            var expected = new MemoryStream();
            var random = new Random(7);

            // 300 owned packets of 1 KiB (well past the 64 KiB owned-bytes cap of one send) and 20 borrowed 20 KiB payloads
            // (40 segments with their headers, five times the segment cap of one send).
            for (var i = 0; i < 300; i++)
            {
                var owned = new byte[1024];
                random.NextBytes(owned);
                owned.CopyTo(batch.GetSpan(owned.Length));
                batch.Advance(owned.Length);
                expected.Write(owned);
                if (i % 15 == 14)
                {
                    var borrowed = new byte[20 * 1024];
                    random.NextBytes(borrowed);
                    batch.AppendExternal(borrowed);
                    expected.Write(borrowed);
                }
            }

            Assert.Equal(expected.Length, batch.Length);
            Assert.Equal(expected.ToArray(), await WriteAndReceiveAsync(batch, writer, reader, slowReader));
        }
    }

    [Fact]
    public async Task WriteToAsync_OnlyOwnedBytes_ArrivesWhole()
    {
        var (writer, reader) = ConnectedPair(0);
        using (writer)
        using (reader)
        {
            using var batch = new OutputBatch();
            var payload = new byte[200 * 1024];
            new Random(11).NextBytes(payload);
            payload.CopyTo(batch.GetSpan(payload.Length));
            batch.Advance(payload.Length);

            Assert.Equal(payload, await WriteAndReceiveAsync(batch, writer, reader, slowReader: false));
        }
    }

    /// <summary>Writes the batch through the gathered-send path and returns what the other end read.</summary>
    private static async Task<byte[]> WriteAndReceiveAsync(OutputBatch batch, Socket writer, Socket reader, bool slowReader)
    {
        var received = ReadExactlyAsync(reader, (int)batch.Length, slowReader);
        using var sender = new GatheredSocketSender();
        await batch.WriteToAsync(new NetworkStream(writer, ownsSocket: false), writer, sender, CancellationToken.None).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(30));

        // End of stream: a batch that lost bytes fails the length check instead of leaving the reader waiting.
        writer.Shutdown(SocketShutdown.Send);
        return await received.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static (Socket Writer, Socket Reader) ConnectedPair(int bufferSize)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var writer = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (bufferSize > 0)
        {
            writer.SendBufferSize = bufferSize;
        }

        writer.Connect(listener.LocalEndPoint!);
        var reader = listener.Accept();
        if (bufferSize > 0)
        {
            reader.ReceiveBufferSize = bufferSize;
        }

        return (writer, reader);
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int length, bool slow)
    {
        var buffer = new byte[length];
        var read = 0;
        var reads = 0;
        while (read < length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read, Math.Min(slow ? 3000 : length, length - read)), SocketFlags.None);
            Assert.True(n > 0, $"the connection closed after {read} of {length} bytes");
            read += n;
            if (slow && ++reads % 16 == 0)
            {
                // Let the writer's socket buffer fill, so its sends complete partially and asynchronously.
                await Task.Delay(1);
            }
        }

        return buffer;
    }
}
