using DuckDB.NET.Data;

namespace Ingest.Tests.Receiving;

/// <summary>DuckDB as a data engineer uses it over the receiver's Parquet (extensions built in; never downloaded).</summary>
internal static class DuckDb
{
    public static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, "SET autoinstall_known_extensions=false; SET autoload_known_extensions=true;");
        return connection;
    }

    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static List<object?[]> Rows(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The glob over every Parquet file under <paramref name="outputDirectory"/>, with Hive partitions.</summary>
    public static string Parquet(string outputDirectory) =>
        $"read_parquet('{Path.Combine(outputDirectory, "parquet").Replace("'", "''", StringComparison.Ordinal)}/**/*.parquet', hive_partitioning=true)";
}
