using System.CommandLine;
using Ingest.Gateway.Cli;
using Ingest.Gateway.Registry;
using Microsoft.Data.Sqlite;

namespace Ingest.Tests.Registry;

/// <summary>Requests, raw SQL and the in-process command line for the registry tests.</summary>
internal static class RegistryTestSupport
{
    /// <summary>A valid enrollment request; change what the test is about.</summary>
    public static EnrollmentRequest Request(string address, string participant = "P-0042", string profile = "polar-h10", string study = "S1",
        bool swap = false, string? irk = null, string reason = "baseline visit") => new()
        {
            Study = study,
            Site = "site-7",
            Participant = participant,
            ProfileId = profile,
            Address = address,
            Irk = irk,
            Reason = reason,
            Actor = "nurse.jones",
            Swap = swap,
        };

    /// <summary>The address of tracker <paramref name="n"/>: static random (top bits 11), so it is an identity address.</summary>
    public static string Address(int n) => $"C4:7C:8D:{(n >> 16) & 0xFF:X2}:{(n >> 8) & 0xFF:X2}:{n & 0xFF:X2}";

    /// <summary>Runs SQL on the file through its own connection, as someone with the file and the sqlite3 shell would.</summary>
    public static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <c>wearable-ingest</c> in-process through the real parser; returns exit code, output and error.</summary>
    public static (int ExitCode, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = WearableIngestCli.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
