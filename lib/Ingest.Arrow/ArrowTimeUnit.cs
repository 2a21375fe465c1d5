namespace Ingest.Arrow;

/// <summary>Arrow <c>TimeUnit</c> (Schema.fbs); the values are the wire values.</summary>
public enum ArrowTimeUnit : short
{
    /// <summary>Seconds.</summary>
    Second = 0,

    /// <summary>Milliseconds.</summary>
    Millisecond = 1,

    /// <summary>Microseconds.</summary>
    Microsecond = 2,

    /// <summary>Nanoseconds.</summary>
    Nanosecond = 3,
}
