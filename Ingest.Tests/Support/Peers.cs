using System.Net;
using System.Net.Sockets;

namespace Ingest.Tests.Support;

/// <summary>
/// Finds the real peers the tests use. A missing peer fails the test with a message that says how to
/// install it; it is never a silent skip (style.md §11).
/// </summary>
public static class Peers
{
    /// <summary>The repository root (the folder holding WearableIngest.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder with the npm peers (apache-arrow, aedes) installed by scripts/install-test-peers.sh.</summary>
    public static string NodePeersDirectory => Path.Combine(RepositoryRoot, "Ingest.Tests", "Peers", "node");

    /// <summary>Returns the full path of <paramref name="executable"/> or fails with install advice.</summary>
    public static string Require(string executable, string howToInstall)
    {
        var found = Find(executable);
        Assert.True(found is not null,
            $"test peer '{executable}' is not installed. Install it with: {howToInstall} (or run scripts/install-test-peers.sh, which the README's test command does).");
        return found!;
    }

    /// <summary>The node executable, checked to have the npm peers installed.</summary>
    public static string RequireNodeWithPackages()
    {
        var node = Require("node", "apt-get install nodejs npm");
        foreach (var package in new[] { "apache-arrow", "aedes" })
        {
            Assert.True(Directory.Exists(Path.Combine(NodePeersDirectory, "node_modules", package)),
                $"npm peer '{package}' is not installed in {NodePeersDirectory}. Run: (cd Ingest.Tests/Peers/node && npm ci) or scripts/install-test-peers.sh");
        }

        return node;
    }

    /// <summary>The mosquitto broker executable.</summary>
    public static string RequireMosquitto() => Require("mosquitto", "apt-get install mosquitto");

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitForTcpPortAsync(int port, TimeSpan timeout, PeerProcess? peer = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                if (peer is { IsRunning: false })
                {
                    throw new InvalidOperationException($"peer exited before listening on {port}: {peer.Output}");
                }

                await Task.Delay(25);
            }
        }

        throw new TimeoutException($"nothing listens on 127.0.0.1:{port} after {timeout}. {peer?.Output}");
    }

    /// <summary>A fresh scratch folder under the system temp folder.</summary>
    public static string NewScratchDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "wearable-ingest-tests", purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string? Find(string executable)
    {
        if (Path.IsPathRooted(executable))
        {
            return File.Exists(executable) ? executable : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        // Debian installs mosquitto and dbus-daemon in sbin folders, which a non-login PATH may lack.
        var folders = path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"]);
        foreach (var folder in folders)
        {
            var candidate = Path.Combine(folder, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WearableIngest.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("WearableIngest.sln not found above " + AppContext.BaseDirectory);
    }
}
