namespace Ingest.Tests.Web.Nurse;

/// <summary>
/// Real time plus an offset the test moves on: each sign-in steps it past the current 30 s code window, so several
/// browsers can sign in as the same nurse without the registry refusing a replayed code. Pages still see time pass.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
