namespace Ingest.Pipeline.Clocks;

/// <summary>What an observation made of the clock mapping (the <c>event</c> column of the clock stream).</summary>
public enum DeviceClockEvent : byte
{
    /// <summary>Nothing worth a row.</summary>
    None = 0,

    /// <summary>The first reading of a connection: the fit starts from it.</summary>
    ConnectionStart = 1,

    /// <summary>A periodic estimate, or one that moved more than the threshold.</summary>
    Estimate = 2,

    /// <summary>The device clock was reset or stepped: the fit restarts from this reading.</summary>
    Reset = 3,
}

/// <summary>The clock mapping at one reading.</summary>
/// <param name="HubTimeNs">The reading's hub receive time (Unix ns, hub clock).</param>
/// <param name="DeviceTimeNs">The reading's device time (Unix ns, as the device's clock reads).</param>
/// <param name="OffsetNs">
/// Estimated hub − device at <paramref name="DeviceTimeNs"/>: hub ≈ device + offset. It includes the smallest delivery
/// delay of the link (a connection interval or so), which no receiver-side method can separate from the clock offset.
/// </param>
/// <param name="DriftPpm">
/// Estimated drift: hub ≈ device + offset + drift·1e-6·(device − DeviceTimeNs); a device crystal fast by 20 ppm gives
/// about −20. NaN until the fit spans <see cref="DeviceClockLimits.MinDriftSpanNs"/>.
/// </param>
/// <param name="Samples">Readings the current fit has seen.</param>
/// <param name="UncertaintyNs">RMS distance of the bucket floors from the fitted line; -1 while there is only one bucket.</param>
public readonly record struct DeviceClockEstimate(long HubTimeNs, long DeviceTimeNs, long OffsetNs, double DriftPpm, int Samples, long UncertaintyNs);

/// <summary>
/// Online estimate of one device's clock mapping from (device time, hub receive time) pairs, for the <c>{device}.clock</c>
/// stream. BLE delivery only ever adds delay (a notification is queued for the next connection event, retransmitted, or
/// held in a congested buffer; it never arrives before it was stamped), so hub − device = offset + drift·t + delay with
/// delay ≥ 0: the <b>lower envelope</b> of hub − device is the clock line (the one-way-delay skew estimation of Moon,
/// Skelly and Towsley, INFOCOM 1999). The estimator keeps the lowest difference per bucket of device time and fits a
/// least-squares line through those floors, so jitter and bursts (late frames: high differences) fall out.
/// <para>
/// A reset (device time going back more than <see cref="DeviceClockLimits.BackwardToleranceNs"/>, landing near the
/// 2019-01-01 epoch an H10 restarts at, or the difference dropping below the floor by more than
/// <see cref="DeviceClockLimits.StepToleranceNs"/>) restarts the fit. <see cref="Restart"/> is called at each connection.
/// </para>
/// Pure, allocation-free after construction, not thread-safe.
/// </summary>
public sealed class DeviceClockEstimator
{
    private readonly long[] _bucketDevice = new long[DeviceClockLimits.MaxBuckets];
    private readonly long[] _bucketFloor = new long[DeviceClockLimits.MaxBuckets];
    private int _buckets;
    private long _bucketSpanNs;
    private bool _started;
    private long _originDevice;
    private long _originFloor;
    private long _maxDevice;
    private int _samples;
    private long _emittedDevice;
    private long _emittedOffset;
    private double _emittedDrift;

    // The fit: floor(device) ≈ _intercept + _slope · (device − _originDevice), relative to _originFloor.
    private double _intercept;
    private double _slope = double.NaN;
    private double _rms = -1;

    /// <summary>Readings in the current fit.</summary>
    public int Samples => _samples;

    /// <summary>Forgets the fit: the next reading starts a new one (a new connection).</summary>
    public void Restart()
    {
        _started = false;
        _buckets = 0;
        _samples = 0;
        _slope = double.NaN;
        _rms = -1;
    }

    /// <summary>
    /// Takes one reading. Returns the event it makes (or <see cref="DeviceClockEvent.None"/>) and, for any other event, the
    /// estimate to record.
    /// </summary>
    public DeviceClockEvent Observe(long deviceTimeNs, long hubTimeNs, out DeviceClockEstimate estimate)
    {
        var difference = hubTimeNs - deviceTimeNs;
        if (!_started)
        {
            Begin(deviceTimeNs, difference);
            estimate = Emit(deviceTimeNs, hubTimeNs);
            return DeviceClockEvent.ConnectionStart;
        }

        if (IsReset(deviceTimeNs, difference))
        {
            Begin(deviceTimeNs, difference);
            estimate = Emit(deviceTimeNs, hubTimeNs);
            return DeviceClockEvent.Reset;
        }

        _samples++;
        _maxDevice = Math.Max(_maxDevice, deviceTimeNs);
        var closed = Add(deviceTimeNs, difference);
        if (closed)
        {
            Fit();
        }

        var due = deviceTimeNs - _emittedDevice >= DeviceClockLimits.EmitEveryNs;
        if (!due && closed)
        {
            // Moved: the new fit disagrees with what the last row predicts for this device time.
            var predicted = _emittedOffset + (double.IsNaN(_emittedDrift) ? 0 : _emittedDrift * 1e-6 * (deviceTimeNs - _emittedDevice));
            due = Math.Abs(OffsetAt(deviceTimeNs) - predicted) > DeviceClockLimits.EmitMoveThresholdNs;
        }

        if (!due)
        {
            estimate = default;
            return DeviceClockEvent.None;
        }

        estimate = Emit(deviceTimeNs, hubTimeNs);
        return DeviceClockEvent.Estimate;
    }

    private bool IsReset(long deviceTimeNs, long difference)
    {
        if (deviceTimeNs < _maxDevice - DeviceClockLimits.BackwardToleranceNs)
        {
            return true;
        }

        var nearEpoch = deviceTimeNs >= DeviceClockLimits.ResetEpochNs && deviceTimeNs - DeviceClockLimits.ResetEpochNs < DeviceClockLimits.ResetEpochWindowNs;
        var wasNearEpoch = _maxDevice >= DeviceClockLimits.ResetEpochNs && _maxDevice - DeviceClockLimits.ResetEpochNs < DeviceClockLimits.ResetEpochWindowNs;
        if (nearEpoch && !wasNearEpoch)
        {
            return true;
        }

        return difference < OffsetAt(deviceTimeNs) - DeviceClockLimits.StepToleranceNs;
    }

    private void Begin(long deviceTimeNs, long difference)
    {
        _started = true;
        _originDevice = deviceTimeNs;
        _originFloor = difference;
        _maxDevice = deviceTimeNs;
        _bucketSpanNs = DeviceClockLimits.InitialBucketNs;
        _bucketDevice[0] = deviceTimeNs;
        _bucketFloor[0] = difference;
        _buckets = 1;
        _samples = 1;
        _intercept = 0;
        _slope = double.NaN;
        _rms = -1;
    }

    /// <summary>Adds a reading to its bucket; true when it opened a new bucket (the previous one closed).</summary>
    private bool Add(long deviceTimeNs, long difference)
    {
        var last = _buckets - 1;
        var bucketOfLast = (_bucketDevice[last] - _originDevice) / _bucketSpanNs;
        var bucket = (deviceTimeNs - _originDevice) / _bucketSpanNs;
        if (bucket <= bucketOfLast)
        {
            // Same bucket (or a slightly older reading of another stream): keep the lower floor.
            if (difference < _bucketFloor[last])
            {
                _bucketFloor[last] = difference;
                _bucketDevice[last] = Math.Max(deviceTimeNs, _originDevice + (bucketOfLast * _bucketSpanNs));
            }

            return false;
        }

        if (_buckets == DeviceClockLimits.MaxBuckets)
        {
            Compact();
        }

        _bucketDevice[_buckets] = deviceTimeNs;
        _bucketFloor[_buckets] = difference;
        _buckets++;
        return true;
    }

    /// <summary>Merges neighbouring buckets pairwise, keeping each pair's lower floor, and doubles the span.</summary>
    private void Compact()
    {
        var kept = 0;
        for (var i = 0; i < _buckets; i += 2)
        {
            var pick = i + 1 < _buckets && _bucketFloor[i + 1] < _bucketFloor[i] ? i + 1 : i;
            _bucketDevice[kept] = _bucketDevice[pick];
            _bucketFloor[kept] = _bucketFloor[pick];
            kept++;
        }

        _buckets = kept;
        _bucketSpanNs *= 2;
    }

    /// <summary>Least squares through the closed buckets' floors (the open, last bucket is still settling).</summary>
    private void Fit()
    {
        var n = _buckets - 1;
        if (n < 1)
        {
            return;
        }

        double sx = 0, sy = 0;
        for (var i = 0; i < n; i++)
        {
            sx += _bucketDevice[i] - _originDevice;
            sy += _bucketFloor[i] - _originFloor;
        }

        var mx = sx / n;
        var my = sy / n;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = _bucketDevice[i] - _originDevice - mx;
            sxx += dx * dx;
            sxy += dx * (_bucketFloor[i] - _originFloor - my);
        }

        var span = _bucketDevice[n - 1] - _bucketDevice[0];
        if (n >= 2 && span >= DeviceClockLimits.MinDriftSpanNs && sxx > 0)
        {
            _slope = sxy / sxx;
            _intercept = my - (_slope * mx);
        }
        else
        {
            // Too short for a drift: the floor is the lowest difference seen.
            _slope = double.NaN;
            var min = long.MaxValue;
            for (var i = 0; i < n; i++)
            {
                min = Math.Min(min, _bucketFloor[i]);
            }

            _intercept = min - _originFloor;
        }

        double squares = 0;
        var slope = double.IsNaN(_slope) ? 0 : _slope;
        for (var i = 0; i < n; i++)
        {
            var residual = _bucketFloor[i] - _originFloor - (_intercept + (slope * (_bucketDevice[i] - _originDevice)));
            squares += residual * residual;
        }

        _rms = n >= 2 ? Math.Sqrt(squares / n) : -1;
    }

    private long OffsetAt(long deviceTimeNs) =>
        _originFloor + (long)Math.Round(_intercept + (double.IsNaN(_slope) ? 0 : _slope * (deviceTimeNs - _originDevice)));

    private DeviceClockEstimate Emit(long deviceTimeNs, long hubTimeNs)
    {
        var offset = OffsetAt(deviceTimeNs);
        var drift = _slope * 1e6;
        _emittedDevice = deviceTimeNs;
        _emittedOffset = offset;
        _emittedDrift = drift;
        return new DeviceClockEstimate(hubTimeNs, deviceTimeNs, offset, drift, _samples, _rms < 0 ? -1 : (long)Math.Round(_rms));
    }
}
