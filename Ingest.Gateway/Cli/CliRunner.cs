using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Cli;

/// <summary>Runs a command body and turns the errors people cause into one clear line and exit code 2.</summary>
internal static class CliRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
        }
        catch (ProfileException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
        }

        return ExitCodes.UsageError;
    }
}
