using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ingest.Gateway.Web.Staff;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys (which sign and encrypt the session and anti-forgery cookies) as XML files
/// in one folder, readable by the hub's user only: folder mode 0700, files 0600 (the framework's own file repository
/// leaves both to the umask). Kept across restarts so an upgrade or a reboot does not sign every nurse out. A file that
/// cannot be read is skipped: the cookies it protected no longer open, and those nurses sign in again.
/// </summary>
internal sealed class PrivateXmlRepository : IXmlRepository
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Largest key file read back (a key is about 1 KiB of XML; anything far bigger is not one).</summary>
    private const long MaxKeyFileBytes = 64 * 1024;

    private readonly string _directory;

    public PrivateXmlRepository(string directory)
    {
        _directory = directory;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (!Directory.Exists(_directory))
        {
            return [];
        }

        var elements = new List<XElement>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*.xml"))
        {
            try
            {
                if (new FileInfo(path).Length <= MaxKeyFileBytes)
                {
                    elements.Add(XElement.Load(path));
                }
            }
            catch (Exception ex) when (ex is IOException or XmlException or UnauthorizedAccessException)
            {
                // Skipped on purpose (see the type's summary).
            }
        }

        return elements;
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        EnsureDirectory();
        var name = IsSafeName(friendlyName) ? friendlyName : Guid.NewGuid().ToString("N");
        var target = Path.Combine(_directory, name + ".xml");
        var temporary = Path.Combine(_directory, "." + name + ".tmp");
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            element.Save(stream);
            stream.Flush(flushToDisk: true);
        }

        // Renamed into place whole: a crash mid-write leaves a .tmp file, never half a key.
        File.Move(temporary, target, overwrite: true);
    }

    private void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
            return;
        }

        Directory.CreateDirectory(_directory, DirectoryMode);
        File.SetUnixFileMode(_directory, DirectoryMode);
    }

    private static bool IsSafeName(string? name)
    {
        if (name is null || name.Length is 0 or > 100)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
