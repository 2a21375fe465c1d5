using System.Threading.Channels;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Radio;

/// <summary>
/// A nurse's live check of a tracker that is not enrolled: the radio supervisor connects it like an enrolled one, but
/// its notifications come here instead of into the pipeline. They are decoded with the profile's own decoders only to
/// count samples per second and keep the last few seconds of one column per stream for a small chart; nothing is kept,
/// spooled or published, and everything is gone when the check ends.
/// <para>
/// A check lasts while someone looks at it: it ends <see cref="IdleTimeout"/> after the last look, and at the latest
/// <see cref="MaxDuration"/> after it started. Threading: the supervisor's loop starts and ends it, its own task
/// decodes, and web requests read views; a lock guards the little state they share (never on the pipeline's path).
/// </para>
/// </summary>
internal sealed class LiveCheck
{
    /// <summary>A check nobody looked at for this long ends (the nurse closed the page).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The longest a check runs, looked at or not: it holds one of the adapter's link slots.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>The window the measured rate is taken over.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    /// <summary>Notifications queued between the radio and the decoder (a check's tracker sends at most a few hundred a second).</summary>
    private const int QueueCapacity = 512;

    private readonly Lock _lock = new();
    private readonly Channel<Notification> _queue = Channel.CreateBounded<Notification>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly CheckedStream[] _streams;
    private LiveCheckState _state = LiveCheckState.Connecting;
    private string? _problem;
    private int? _batteryPercent;
    private long _lastLookNs;

    /// <summary>Creates a check of <paramref name="candidate"/> with <paramref name="profile"/>'s streams.</summary>
    public LiveCheck(string candidate, FirmwareProfile profile, long nowNs)
    {
        Candidate = candidate;
        Profile = profile;
        StartedNs = nowNs;
        _lastLookNs = nowNs;
        _streams = profile.Streams.Select(static definition => new CheckedStream(definition)).ToArray();
    }

    /// <summary>The tracker: its device pseudonym in this hub's study.</summary>
    public string Candidate { get; }

    /// <summary>The profile its advertisement matched.</summary>
    public FirmwareProfile Profile { get; }

    /// <summary>When it started (UTC ns).</summary>
    public long StartedNs { get; }

    /// <summary>Where the supervisor's stream targets deliver.</summary>
    public ChannelWriter<Notification> Writer => _queue.Writer;

    /// <summary>True once it ended (by the nurse, by time, by enrollment, or because its link is gone).</summary>
    public bool IsOver
    {
        get
        {
            lock (_lock)
            {
                return _state is LiveCheckState.Ended or LiveCheckState.Lost or LiveCheckState.Failed;
            }
        }
    }

    /// <summary>When it ends unless looked at again (UTC ns).</summary>
    public long EndsNs
    {
        get
        {
            lock (_lock)
            {
                return EndsNsLocked();
            }
        }
    }

    /// <summary>The battery level read at connect, if the tracker has the service.</summary>
    public int? BatteryPercent
    {
        get
        {
            lock (_lock)
            {
                return _batteryPercent;
            }
        }
    }

    /// <summary>Decodes what arrives until the queue is completed; releases every notification's buffer.</summary>
    public async Task RunAsync()
    {
        await foreach (var notification in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Decode(notification);
            }
            finally
            {
                notification.Release();
            }
        }
    }

    /// <summary>Someone looked at it now: it runs on for <see cref="IdleTimeout"/> (within <see cref="MaxDuration"/>).</summary>
    public void Touch(long nowNs)
    {
        lock (_lock)
        {
            _lastLookNs = Math.Max(_lastLookNs, nowNs);
        }
    }

    /// <summary>The link is up and the streams are subscribed.</summary>
    public void Streaming(int? batteryPercent)
    {
        lock (_lock)
        {
            if (_state == LiveCheckState.Connecting)
            {
                _state = LiveCheckState.Streaming;
            }

            _batteryPercent = batteryPercent ?? _batteryPercent;
        }
    }

    /// <summary>Ends it in <paramref name="state"/> with what happened (the first end wins); the decoder stops.</summary>
    public void End(LiveCheckState state, string? problem)
    {
        lock (_lock)
        {
            if (_state is LiveCheckState.Connecting or LiveCheckState.Streaming)
            {
                _state = state;
                _problem = problem;
            }
        }

        _queue.Writer.TryComplete();
    }

    /// <summary>True when nobody looked for <see cref="IdleTimeout"/> or it ran <see cref="MaxDuration"/>.</summary>
    public bool IsExpired(long nowNs) => nowNs >= EndsNs;

    /// <summary>What the nurse sees now.</summary>
    public LiveCheckView View(long nowNs)
    {
        lock (_lock)
        {
            var streams = new LiveStreamView[_streams.Length];
            for (var i = 0; i < _streams.Length; i++)
            {
                streams[i] = _streams[i].View(nowNs);
            }

            return new LiveCheckView(Candidate, Profile.Id, _state, _problem, _batteryPercent, streams, StartedNs, EndsNsLocked());
        }
    }

    /// <summary><see cref="IdleTimeout"/> after the last look, within <see cref="MaxDuration"/> of the start; under the lock.</summary>
    private long EndsNsLocked() => Math.Min(_lastLookNs + (IdleTimeout.Ticks * 100), StartedNs + (MaxDuration.Ticks * 100));

    private void Decode(Notification notification)
    {
        var payload = notification.Payload;
        CheckedStream? target = null;
        foreach (var stream in _streams)
        {
            if (stream.Accepts(notification.Characteristic, payload))
            {
                target = stream;
                break;
            }
        }

        if (target is null)
        {
            return;
        }

        lock (_lock)
        {
            target.Decode(payload, notification.HubTimeNs);
        }
    }

    /// <summary>One profile stream: its decoder, the column shown, recent values and arrival counts.</summary>
    private sealed class CheckedStream
    {
        private readonly StreamDefinition _definition;
        private readonly StreamDecoder _decoder;
        private readonly Guid _characteristic;
        private readonly int _pmdMeasurement;
        private readonly int _column;
        private readonly double[] _recent = new double[LiveStreamView.MaxRecent];
        private readonly Queue<(long HubTimeNs, int Samples)> _arrivals = new();
        private int _recentStart;
        private int _recentCount;
        private long _samples;

        public CheckedStream(StreamDefinition definition)
        {
            _definition = definition;
            _decoder = new StreamDecoder(definition.CreateDecoder(), quarantine: null, initialRows: 64);
            _characteristic = Guid.Parse(definition.Characteristic);
            _pmdMeasurement = definition.Decoder.Name == Pipeline.Decoding.Polar.PolarPmdDecoder.Name
                ? (int)Pipeline.Decoding.Polar.PolarPmdSettings.Parse(definition.Settings).Measurement
                : -1;
            _column = ShownColumn(_decoder.Schema);
        }

        /// <summary>Same routing as the pipeline: by characteristic, and for Polar PMD by the frame's measurement type.</summary>
        public bool Accepts(Guid characteristic, ReadOnlySpan<byte> payload) =>
            characteristic == _characteristic
            && (_pmdMeasurement < 0 || (payload.Length > 0 && (payload[0] & Pipeline.Decoding.Polar.PmdFrameHeader.MeasurementTypeMask) == _pmdMeasurement));

        public void Decode(ReadOnlySpan<byte> payload, long hubTimeNs)
        {
            var result = _decoder.Decode(payload, hubTimeNs);
            if (result.Rows > 0)
            {
                _samples += result.Rows;
                _arrivals.Enqueue((hubTimeNs, result.Rows));
                if (_column >= 0)
                {
                    var column = _decoder.Columns[_column];
                    for (var row = 0; row < column.Length; row++)
                    {
                        if (column.IsValid(row) && ColumnNumbers.StoredAt(column, row) is { } value)
                        {
                            Remember((value * column.Spec.Scale) + column.Spec.Offset);
                        }
                    }
                }
            }

            _decoder.Columns.Clear();
        }

        public LiveStreamView View(long nowNs)
        {
            var windowNs = RateWindow.Ticks * 100;
            while (_arrivals.Count > 0 && _arrivals.Peek().HubTimeNs < nowNs - (2 * windowNs))
            {
                _arrivals.Dequeue();
            }

            long inWindow = 0;
            var oldest = nowNs;
            foreach (var (at, samples) in _arrivals)
            {
                if (at >= nowNs - windowNs)
                {
                    inWindow += samples;
                    oldest = Math.Min(oldest, at);
                }
            }

            // Over the whole window once it is full; over the time since the first arrival before that.
            var spanNs = Math.Max(nowNs - oldest, 1_000_000_000L);
            var rate = inWindow == 0 ? 0 : inWindow / (Math.Min(spanNs, windowNs) / 1e9);
            var recent = new double[_recentCount];
            for (var i = 0; i < _recentCount; i++)
            {
                recent[i] = _recent[(_recentStart + i) % _recent.Length];
            }

            var spec = _column >= 0 ? _decoder.Schema.Columns[_column] : null;
            return new LiveStreamView(_definition.Id, spec?.Name ?? "", spec?.Unit is { Length: > 0 } unit ? unit : null,
                _definition.NominalRateHz, Math.Round(rate, 1), _samples, recent);
        }

        private void Remember(double value)
        {
            if (_recentCount < _recent.Length)
            {
                _recent[(_recentStart + _recentCount) % _recent.Length] = value;
                _recentCount++;
            }
            else
            {
                _recent[_recentStart] = value;
                _recentStart = (_recentStart + 1) % _recent.Length;
            }
        }

        /// <summary>The first numeric value column (heart rate, ECG voltage, acceleration x), or -1 when there is none.</summary>
        private static int ShownColumn(StreamSchema schema)
        {
            for (var i = 0; i < schema.Columns.Count; i++)
            {
                if (schema.Columns[i].Kind is not (ColumnKind.List or ColumnKind.TimestampNs))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
