using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Output;

namespace Ingest.Tests.Pipeline.Output;

public class ColumnKeysTests
{
    [Theory]
    [InlineData("/min", "per_min")]
    [InlineData("%", "pct")]
    [InlineData("m/s", "m_per_s")]
    [InlineData("Cel", "cel")]
    [InlineData("uV", "uv")]
    [InlineData("kJ", "kj")]
    [InlineData("{steps}", "")]
    [InlineData("", "")]
    [InlineData("m/s2", "m_per_s2")]
    public void UnitSuffix_UcumUnit_SnakeCase(string unit, string suffix)
    {
        Assert.Equal(suffix, ColumnKeys.UnitSuffix(unit));
    }

    [Theory]
    [InlineData("rr_interval", "s", RowValues.Physical, "rr_interval_s")]
    [InlineData("rr_interval", "s", RowValues.Stored, "rr_interval")]
    [InlineData("duration_s", "s", RowValues.Physical, "duration_s")]
    [InlineData("steps", "{steps}", RowValues.Physical, "steps")]
    public void Key_UnitAddedOnlyForPhysicalValues(string name, string unit, RowValues values, string key)
    {
        Assert.Equal(key, ColumnKeys.Key(new ColumnSpec { Name = name, Kind = ColumnKind.UInt16, Unit = unit }, values));
    }
}
