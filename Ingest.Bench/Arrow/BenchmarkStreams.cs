using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Bench.Arrow;

/// <summary>An eight-column stream shaped like a real one (both clocks, int16 xyz, int32 PPG, nullable HR, RR list).</summary>
public static class BenchmarkStreams
{
    /// <summary>Hub time of the first row.</summary>
    public const long StartNs = 1_763_805_600_000_000_000;

    /// <summary>The stream's columns after hub_time and device_time.</summary>
    public static StreamSchema Schema { get; } = new(
        [
            new ColumnSpec { Name = "acc_x", Kind = ColumnKind.Int16, Unit = "m[g]" },
            new ColumnSpec { Name = "acc_y", Kind = ColumnKind.Int16, Unit = "m[g]" },
            new ColumnSpec { Name = "acc_z", Kind = ColumnKind.Int16, Unit = "m[g]" },
            new ColumnSpec { Name = "ppg", Kind = ColumnKind.Int32, Description = "green LED photodiode" },
            new ColumnSpec { Name = "heart_rate", Kind = ColumnKind.UInt16, Unit = "/min", Nullable = true },
            new ColumnSpec { Name = "rr_interval", Kind = ColumnKind.List, ElementKind = ColumnKind.UInt16, Unit = "s", Scale = 1.0 / 1024 },
        ],
        hasDeviceTime: true);

    /// <summary>Provenance recorded in every batch.</summary>
    public static StreamDescription Description { get; } = new("polar-verity-sense", "1.2.0", "polar-pmd");

    /// <summary>Identity of the benchmark's batch.</summary>
    public static BatchIdentity Identity { get; } = new("hub-7", "p-0042/acc", 1234);

    /// <summary><paramref name="rows"/> committed rows of a 52 Hz wrist stream: small random walks, one HR null in 50, RR every 52nd row.</summary>
    public static StreamColumns Rows(int rows)
    {
        var random = new Random(42);
        var columns = new StreamColumns(Schema, rows);
        int x = 0, y = 0, z = 1000, ppg = 200_000;
        for (var i = 0; i < rows; i++)
        {
            columns.HubTime.Append(StartNs + (i * 19_230_769L));
            columns.DeviceTime!.Append(StartNs - 3_600_000_000_000 + (i * 19_230_769L));
            columns.Values<short>(0).Append((short)(x = Math.Clamp(x + random.Next(-20, 21), -4000, 4000)));
            columns.Values<short>(1).Append((short)(y = Math.Clamp(y + random.Next(-20, 21), -4000, 4000)));
            columns.Values<short>(2).Append((short)(z = Math.Clamp(z + random.Next(-20, 21), -4000, 4000)));
            columns.Values<int>(3).Append(ppg += random.Next(-300, 301));
            if (i % 50 == 7)
            {
                columns.Values<ushort>(4).AppendNull();
            }
            else
            {
                columns.Values<ushort>(4).Append((ushort)(60 + random.Next(0, 30)));
            }

            var rr = columns.List<ushort>(5);
            rr.BeginRow();
            if (i % 52 == 0)
            {
                rr.Elements.Append((ushort)(800 + random.Next(0, 200)));
            }

            rr.EndRow();
            if (!columns.TryCommit(out _))
            {
                throw new InvalidOperationException("benchmark rows did not commit");
            }
        }

        return columns;
    }
}
