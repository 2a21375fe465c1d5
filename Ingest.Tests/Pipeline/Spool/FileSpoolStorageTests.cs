using Ingest.Pipeline.Spool;
using static Ingest.Tests.Pipeline.Spool.SpoolTestSupport;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Spool;

/// <summary>The real storage on the real disk: fdatasync by P/Invoke, directory fsync, and a spool over it.</summary>
public sealed class FileSpoolStorageTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("spool");

    private string _directory => _temporary.Path;

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task AppendAsync_RealDisk_EveryCommitCallsFdatasyncAndReadsBack()
    {
        var storage = new CountingStorage(new FileSpoolStorage(_directory));
        var options = Options(segmentBytes: 4096) with { Directory = _directory };
        await using (var spool = SegmentSpool.Open(options, storage))
        {
            for (var s = 0; s < 10; s++)
            {
                var syncsBefore = storage.DataSyncs;
                await spool.AppendAsync(Identity(s), Rows(s), Payload(s, 900));
                Assert.True(storage.DataSyncs > syncsBefore, "the append returned before a data sync");
            }

            Assert.True(storage.DirectorySyncs >= 3, "each new segment's name is synced"); // checkpoint at open + 2 segments
        }

        Assert.True(File.Exists(Path.Combine(_directory, SegmentSpool.CheckpointName)));
        Assert.True(Directory.Exists(Path.Combine(_directory, SegmentSpool.QuarantineDirectory)));
        await using var reopened = SegmentSpool.Open(options);
        var records = await ReadPendingAsync(reopened);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), records.Select(r => r.Identity.Sequence));
        records.ForEach(AssertIntact);
    }

    [Fact]
    public void SyncData_ClosedDescriptorIsRefused_AndDirectorySyncWorks()
    {
        var storage = new FileSpoolStorage(_directory);
        var file = storage.Open("x.seg", create: true);
        file.Write([1, 2, 3], 0);
        file.SyncData();
        storage.SyncDirectory();
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(file.SyncData);
        Assert.Throws<ArgumentException>(() => storage.Open("../escape", create: true));
    }

    private sealed class CountingStorage(ISpoolStorage inner) : ISpoolStorage
    {
        private long _dataSyncs;

        public long DataSyncs => Interlocked.Read(ref _dataSyncs);

        public long DirectorySyncs { get; private set; }

        public IReadOnlyList<string> ListFiles() => inner.ListFiles();

        public bool Exists(string name) => inner.Exists(name);

        public ISpoolFile Open(string name, bool create) => new CountingFile(this, inner.Open(name, create));

        public void Rename(string from, string to) => inner.Rename(from, to);

        public void Delete(string name) => inner.Delete(name);

        public void CreateDirectory(string name) => inner.CreateDirectory(name);

        public void SyncDirectory(string? subdirectory = null)
        {
            inner.SyncDirectory(subdirectory);
            DirectorySyncs++;
        }

        private sealed class CountingFile(CountingStorage owner, ISpoolFile file) : ISpoolFile
        {
            public long Length => file.Length;

            public int Read(Span<byte> buffer, long offset) => file.Read(buffer, offset);

            public void Write(ReadOnlySpan<byte> data, long offset) => file.Write(data, offset);

            public void SyncData()
            {
                file.SyncData();
                Interlocked.Increment(ref owner._dataSyncs);
            }

            public void SetLength(long length) => file.SetLength(length);

            public void Dispose() => file.Dispose();
        }
    }
}
