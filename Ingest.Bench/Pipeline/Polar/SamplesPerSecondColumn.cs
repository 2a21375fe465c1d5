using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Ingest.Bench.Pipeline.Polar;

/// <summary>A summary column: million samples decoded per second, from the mean time per frame and the samples per frame.</summary>
public sealed class SamplesPerSecondColumn : IColumn
{
    private readonly double _samplesPerOperation;

    /// <summary>Creates the column for benchmarks whose operation (one frame) yields <paramref name="samplesPerOperation"/> samples.</summary>
    public SamplesPerSecondColumn(double samplesPerOperation)
    {
        _samplesPerOperation = samplesPerOperation;
    }

    /// <inheritdoc />
    public string Id => nameof(SamplesPerSecondColumn);

    /// <inheritdoc />
    public string ColumnName => "M samples/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Million samples (rows) per second: samples per frame / mean time per frame";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var report = summary[benchmarkCase];
        var meanNs = report?.ResultStatistics?.Mean;
        return meanNs is > 0
            ? (_samplesPerOperation / meanNs.Value * 1000.0).ToString("F1", CultureInfo.InvariantCulture)
            : "-";
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
